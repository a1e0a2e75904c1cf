/* The automated mark: a message's signal corrected by the configuration's automated and people. */
#include "config.h"

#include <string.h>

#include "common/automated.h"

/* How specific ENTRY is for the address FROM (of domain DOMAIN): 0 when it
 * does not name it, else the longer the domain the higher, an address
 * above every domain. */
static gsize
specificity(const char *entry, const char *from, const char *domain)
{
	if (*entry != '@')
		return config_same_address(entry, from) ? G_MAXSIZE : 0;
	const char *d = entry + 1;
	size_t dlen = strlen(d), alen = strlen(domain);
	/* Equal, or a subdomain: "news.globex.example" ends in ".globex.example";
	 * "notglobex.example" does not. */
	gboolean match = alen == dlen ? g_ascii_strcasecmp(domain, d) == 0
	                              : alen > dlen && domain[alen - dlen - 1] == '.' &&
	                                    g_ascii_strcasecmp(domain + alen - dlen, d) == 0;
	return match ? dlen : 0;
}

/* Returns the most specific entry of LIST naming FROM, or NULL; *HOW says
 * how specific. */
static const char *
best_entry(const GPtrArray *list, const char *from, const char *domain, gsize *how)
{
	const char *best = NULL;
	*how = 0;
	for (guint i = 0; list && i < list->len; i++) {
		const char *entry = g_ptr_array_index(list, i);
		gsize s = specificity(entry, from, domain);
		if (s > *how) {
			*how = s;
			best = entry;
		}
	}
	return best;
}

void
automated_mark(const struct mc_config *cfg, const char *from, const char *signal,
               struct automated_mark *mark)
{
	memset(mark, 0, sizeof *mark);
	mark->automated = *signal != '\0';
	if (!*from)
		return;
	const char *at = strrchr(from, '@');
	const char *domain = at ? at + 1 : "";
	gsize person_how, automated_how;
	const char *person = best_entry(cfg->people, from, domain, &person_how);
	const char *automated = best_entry(cfg->automated, from, domain, &automated_how);
	if (person && person_how >= automated_how) {
		mark->automated = FALSE;
		mark->list = "people";
		mark->entry = person;
	} else if (automated) {
		mark->automated = TRUE;
		mark->list = "automated";
		mark->entry = automated;
	}
}

char *
automated_reason(const struct automated_mark *mark, const char *signal)
{
	if (mark->list && mark->automated)
		return g_strdup_printf("automated: config automated = %s", mark->entry);
	if (mark->list && *signal)
		return g_strdup_printf("a person: config people = %s (signal ignored: %s)",
		                       mark->entry, signal);
	if (mark->list)
		return g_strdup_printf("a person: config people = %s", mark->entry);
	if (mark->automated)
		return g_strdup_printf("automated: %s", signal);
	return g_strdup("not automated");
}
