/* The address book: each client's addresses, as the writer counts them
 * (contact_stats), merged into people in C. */
#include "config.h"

#include <string.h>

#include "common/message.h"
#include "index/tokenizer.h"
#include "query/contacts.h"

/* Words that name a role or a team, not a person: a name made of nothing
 * else ("Support", "Sales Team", "Customer Service") is shared by people
 * who are not one another. */
static const char *const generic_words[] = {
	"info",          "information", "support",   "sales",      "team",       "admin",
	"administrator", "office",      "contact",   "contacts",   "billing",    "accounts",
	"accounting",    "invoice",     "invoices",  "hello",      "help",       "helpdesk",
	"service",       "services",    "customer",  "customers",  "care",       "desk",
	"noreply",       "no-reply",    "webmaster", "postmaster", "hr",         "jobs",
	"careers",       "marketing",   "press",     "news",       "newsletter", "notifications",
	"reception",     "enquiries",   "inquiries", "orders",     "shop",       "store",
	"finance",       "legal",       "it",        "operations", "ops",        "security",
	"feedback",      "mail",        "mailer",    "daemon",     "system",     "root",
	"abuse",         "the",         "and",       "&",          "-",          "department",
	"bookings",      "booking",     "payments",  "payroll",    "management", "staff",
};

static gboolean
is_generic(const char *word)
{
	for (guint i = 0; i < G_N_ELEMENTS(generic_words); i++)
		if (strcmp(word, generic_words[i]) == 0)
			return TRUE;
	return FALSE;
}

/* Returns S in NFKC, case folded; the caller frees it. */
static char *
fold_name(const char *s)
{
	g_autofree char *n = g_utf8_normalize(s, -1, G_NORMALIZE_NFKC);
	return n ? g_utf8_casefold(n, -1) : g_strdup("");
}

/* Whether C opens (and CLOSE closes) a quoted name. */
static gboolean
quote_pair(gunichar open, gunichar close)
{
	return (open == '"' && close == '"') || (open == '\'' && close == '\'') ||
	       (open == 0x201C && close == 0x201D) || (open == 0x2018 && close == 0x2019) ||
	       (open == 0x00AB && close == 0x00BB);
}

char *
contacts_name_key(const char *name, const char *org)
{
	if (!name || !g_utf8_validate(name, -1, NULL))
		return NULL;
	g_autofree char *folded = fold_name(name);
	g_auto(GStrv) words = g_strsplit_set(g_strstrip(folded), " \t\r\n", -1);
	GString *key = g_string_new(NULL);
	for (char **w = words; *w; w++)
		if (**w)
			g_string_append_printf(key, "%s%s", key->len ? " " : "", *w);
	/* Quotes around the whole name ('Bob Martin', "Bob Martin"). */
	while (key->len >= 2) {
		gunichar open = g_utf8_get_char(key->str);
		const char *end = g_utf8_prev_char(key->str + key->len);
		gunichar close = g_utf8_get_char(end);
		gsize open_len = g_utf8_next_char(key->str) - key->str;
		if (end <= key->str || !quote_pair(open, close))
			break;
		g_string_truncate(key, end - key->str);
		g_string_erase(key, 0, open_len);
		g_autofree char *trimmed = g_strdup(g_strstrip(key->str));
		g_string_assign(key, trimmed);
	}
	g_autofree char *k = g_string_free(key, FALSE);
	if (!*k || strchr(k, '@'))
		return NULL;
	/* A relay writes a person's name over its own address ("Bob via Acme
	 * Team" from a Google group, "Bob (via Google Docs)"): the address is
	 * not Bob's. */
	g_auto(GStrv) kw = g_strsplit(k, " ", -1);
	for (char **w = kw; *w; w++)
		if (strcmp(*w, "via") == 0 || strcmp(*w, "(via") == 0)
			return NULL;
	g_autofree char *org_folded = fold_name(org ? org : "");
	g_auto(GStrv) ow = g_strsplit_set(org_folded, " \t", -1);
	for (char **w = kw; *w; w++) {
		/* Punctuation around a word does not make it a person's. */
		g_autofree char *bare = g_strdup(*w);
		char *b = bare;
		while (*b && strchr("()[],.:;\"'", *b))
			b++;
		gsize n = strlen(b);
		while (n > 0 && strchr("()[],.:;\"'", b[n - 1]))
			b[--n] = '\0';
		if (!*b || is_generic(b) || g_strv_contains((const char *const *)ow, b))
			continue;
		return g_steal_pointer(&k); /* a word of a person's name */
	}
	return NULL;
}

/* An address in one client's mail, counted. */
struct entry {
	const char *client, *address, *name; /* in the GStringChunk */
	gint64 messages, first, last;
	gint64 name_date;     /* of NAME */
	struct entry *parent; /* union-find: the person it belongs to */
	char *key;            /* contacts_name_key() of NAME */
};

static struct entry *
root(struct entry *e)
{
	while (e->parent != e) {
		e->parent = e->parent->parent;
		e = e->parent;
	}
	return e;
}

static void
unite(struct entry *a, struct entry *b)
{
	a = root(a);
	b = root(b);
	/* The smaller address is the root, so that the result does not
	 * depend on the order of the work. */
	if (a == b)
		return;
	if (strcmp(a->address, b->address) < 0)
		b->parent = a;
	else
		a->parent = b;
}

/* Whether the domain of ADDRESS is one of DOMAINS or below one. */
static gboolean
under_domains(const char *address, const GPtrArray *domains)
{
	const char *at = strrchr(address, '@');
	if (!at || !domains)
		return FALSE;
	const char *domain = at + 1;
	gsize n = strlen(domain);
	for (guint i = 0; i < domains->len; i++) {
		const char *d = g_ptr_array_index(domains, i);
		gsize dn = strlen(d);
		if (g_ascii_strcasecmp(domain, d) == 0 ||
		    (n > dn && domain[n - dn - 1] == '.' &&
		     g_ascii_strcasecmp(domain + n - dn, d) == 0))
			return TRUE;
	}
	return FALSE;
}

/* Whether the words of PREFIX begin the words of KEY ("bob" begins "bob
 * martin", not "bobby martin"). */
static gboolean
words_begin(const char *key, const char *prefix)
{
	gsize n = strlen(prefix);
	return strncmp(key, prefix, n) == 0 && (key[n] == '\0' || key[n] == ' ');
}

/* What names the person of a personal address: its name key, or without a
 * name the first word of its local part ("bob" of bob.personal@...). NULL
 * when neither says anything; the caller frees it. */
static char *
personal_words(const struct entry *e)
{
	if (e->key)
		return g_strdup(e->key);
	if (*e->name)
		return NULL; /* a name, but one that may not merge */
	gsize n = strcspn(e->address, "._-+@0123456789");
	if (n < 2)
		return NULL;
	g_autofree char *word = g_strndup(e->address, n);
	return is_generic(word) ? NULL : g_steal_pointer(&word);
}

/* A personal address: one CC lists under the client outside its domains
 * (Bob's gmail under acme, whose domain is acme.example). It is the person
 * of the client's mail whose name it names, when exactly one does: its
 * name's words begin theirs ("Bob" for "Bob Martin"), or without a name its
 * local part's first word does ("bob.personal"). */
static void
merge_personal(GPtrArray *entries, const struct mc_client_config *cc)
{
	for (guint i = 0; cc && cc->addresses && i < cc->addresses->len; i++) {
		const char *listed = g_ptr_array_index(cc->addresses, i);
		if (under_domains(listed, cc->domains))
			continue;
		struct entry *e = NULL;
		for (guint j = 0; j < entries->len && !e; j++) {
			struct entry *x = g_ptr_array_index(entries, j);
			if (config_same_address(x->address, listed))
				e = x;
		}
		g_autofree char *words = e ? personal_words(e) : NULL;
		if (!words)
			continue;
		struct entry *person = NULL;
		gboolean several = FALSE;
		for (guint j = 0; j < entries->len && !several; j++) {
			struct entry *x = g_ptr_array_index(entries, j);
			if (!x->key || root(x) == root(e) || !words_begin(x->key, words))
				continue;
			if (person && root(person) != root(x))
				several = TRUE;
			person = x;
		}
		if (person && !several)
			unite(e, person);
	}
}

static void
contact_free(struct contact *c)
{
	g_free(c->client);
	g_free(c->name);
	g_ptr_array_unref(c->addresses);
	g_free(c->identity);
	g_free(c);
}

/* Most messages first, then the one seen last, then by address. */
static int
entry_order(gconstpointer a, gconstpointer b)
{
	const struct entry *x = *(struct entry *const *)a, *y = *(struct entry *const *)b;
	if (x->messages != y->messages)
		return x->messages > y->messages ? -1 : 1;
	if (x->last != y->last)
		return x->last > y->last ? -1 : 1;
	return strcmp(x->address, y->address);
}

static int
contact_order(gconstpointer a, gconstpointer b)
{
	const struct contact *x = *(struct contact *const *)a, *y = *(struct contact *const *)b;
	if (x->messages != y->messages)
		return x->messages > y->messages ? -1 : 1;
	int c = strcmp(x->client, y->client);
	return c ? c
	         : strcmp(g_ptr_array_index(x->addresses, 0), g_ptr_array_index(y->addresses, 0));
}

/* Whether FOLDED (tokenizer_fold() of the query) is in the name or an
 * address of C. */
static gboolean
contact_matches(const struct contact *c, const char *folded)
{
	g_autofree char *name = tokenizer_fold(c->name);
	if (strstr(name, folded))
		return TRUE;
	for (guint i = 0; i < c->addresses->len; i++) {
		g_autofree char *a = tokenizer_fold(g_ptr_array_index(c->addresses, i));
		if (strstr(a, folded))
			return TRUE;
	}
	return FALSE;
}

/* The people of one client's ENTRIES, added to OUT. */
static void
people_of_client(GPtrArray *entries, const struct mc_config *cfg, GPtrArray *out)
{
	if (entries->len == 0)
		return;
	const char *client = ((struct entry *)g_ptr_array_index(entries, 0))->client;
	const struct mc_client_config *cc = config_find_client(cfg, client);
	g_autofree char *org = g_strjoin(" ", client, cc ? cc->name : "", NULL);
	g_autoptr(GHashTable) by_key = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < entries->len; i++) {
		struct entry *e = g_ptr_array_index(entries, i);
		e->key = contacts_name_key(e->name, org);
		if (!e->key)
			continue;
		struct entry *same = g_hash_table_lookup(by_key, e->key);
		if (same)
			unite(e, same);
		else
			g_hash_table_insert(by_key, e->key, e);
	}
	merge_personal(entries, cc);
	/* Each person's addresses, in the order of entry_order(). */
	g_ptr_array_sort(entries, entry_order);
	g_autoptr(GHashTable) people = g_hash_table_new(NULL, NULL);
	for (guint i = 0; i < entries->len; i++) {
		struct entry *e = g_ptr_array_index(entries, i);
		struct entry *r = root(e);
		struct contact *c = g_hash_table_lookup(people, r);
		if (!c) {
			c = g_new0(struct contact, 1);
			c->client = g_strdup(client);
			c->addresses = g_ptr_array_new_with_free_func(g_free);
			c->name = g_strdup("");
			c->identity = g_strdup(e->address);
			c->first = e->first;
			c->last = e->last;
			g_hash_table_insert(people, r, c);
			g_ptr_array_add(out, c);
		}
		g_ptr_array_add(c->addresses, g_strdup(e->address));
		c->messages += e->messages;
		c->last = MAX(c->last, e->last);
		if (e->first < c->first ||
		    (e->first == c->first && strcmp(e->address, c->identity) < 0)) {
			g_free(c->identity);
			c->identity = g_strdup(e->address);
		}
		c->first = MIN(c->first, e->first);
		g_clear_pointer(&e->key, g_free);
	}
	/* The latest name of any address, in a second pass: entries are in
	 * count order, not date order. */
	g_autoptr(GHashTable) name_date = g_hash_table_new(NULL, NULL);
	for (guint i = 0; i < entries->len; i++) {
		struct entry *e = g_ptr_array_index(entries, i);
		if (!*e->name)
			continue;
		struct contact *c = g_hash_table_lookup(people, root(e));
		struct entry *best = g_hash_table_lookup(name_date, c);
		if (!best || e->name_date > best->name_date) {
			g_hash_table_insert(name_date, c, e);
			g_free(c->name);
			c->name = g_strdup(e->name);
		}
	}
}

GPtrArray *
report_contacts(struct mc_db *db, const struct mc_config *cfg, const char *client,
                gboolean machines, const char *query, GError **error)
{
	/* Every address of the mail filed under each client, counted by the
	 * writer (contact_stats, index/migrate-14.sql). */
	g_autoptr(sqlite3_stmt) s =
	    db_prepare(db,
	               "SELECT client, address, name, messages, first, last, "
	               "coalesce(name_date, 0) FROM contact_stats WHERE ?1 IS NULL OR client = ?1 "
	               "ORDER BY client, address",
	               error);
	if (!s)
		return NULL;
	db_bind_text(s, 1, client);
	g_autoptr(GStringChunk) strings = g_string_chunk_new(4096);
	g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) clients = g_ptr_array_new(); /* const char *, in order */
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct entry *e = g_new0(struct entry, 1);
		e->client = g_string_chunk_insert_const(strings, db_column_text(s, 0));
		if (!clients->len || g_ptr_array_index(clients, clients->len - 1) != e->client)
			g_ptr_array_add(clients, (gpointer)e->client);
		e->address = g_string_chunk_insert_const(strings, db_column_text(s, 1));
		e->name = g_string_chunk_insert_const(strings, db_column_text(s, 2));
		e->messages = sqlite3_column_int64(s, 3);
		e->first = sqlite3_column_int64(s, 4);
		e->last = sqlite3_column_int64(s, 5);
		e->name_date = sqlite3_column_int64(s, 6);
		e->parent = e;
		g_ptr_array_add(entries, e);
	}
	if (rc != SQLITE_DONE) {
		db_set_error(error, db, "listing contacts");
		return NULL;
	}
	/* Per client, the addresses that are contacts. */
	g_autoptr(GHashTable) by_client =
	    g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify)g_ptr_array_unref);
	for (guint i = 0; i < entries->len; i++) {
		struct entry *e = g_ptr_array_index(entries, i);
		if (config_is_me(cfg, e->address) || (!machines && address_is_machine(e->address)))
			continue;
		GPtrArray *list = g_hash_table_lookup(by_client, e->client);
		if (!list) {
			list = g_ptr_array_new();
			g_hash_table_insert(by_client, (gpointer)e->client, list);
		}
		g_ptr_array_add(list, e);
	}
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)contact_free);
	for (guint i = 0; i < clients->len; i++) {
		GPtrArray *list = g_hash_table_lookup(by_client, g_ptr_array_index(clients, i));
		if (list)
			people_of_client(list, cfg, out);
	}
	if (query && *query) {
		g_autofree char *folded = tokenizer_fold(query);
		for (guint i = out->len; i-- > 0;)
			if (!contact_matches(g_ptr_array_index(out, i), folded))
				g_ptr_array_remove_index(out, i);
	}
	g_ptr_array_sort(out, contact_order);
	return out;
}
