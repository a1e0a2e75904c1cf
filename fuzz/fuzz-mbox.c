/* Fuzz target: the mbox splitter (ingest/mbox.c), the input as an mbox file.
 *
 * Besides crashes it checks that each message found reads back from its
 * offset and length as `show` reads it (mbox_read_message()), and that a
 * second scan knowing the first one's copies adds and removes nothing. */
#include "config.h"

#include <string.h>

#include "fuzz/fuzz.h"
#include "ingest/source.h"

static struct fuzz_file file;

struct fake_sink {
	struct source_sink sink;
	GPtrArray *items;  /* struct source_item *: what add() was given */
	GHashTable *known; /* name -> struct known_location *, for the second scan */
	guint gone, done, skipped;
};

static gboolean
fake_container_state(struct source_sink *sink, const char *container, gint64 *mtime_ns,
                     gint64 *size)
{
	return FALSE; /* never scanned: always read the file */
}

static GHashTable *
fake_known_locations(struct source_sink *sink, const char *container)
{
	struct fake_sink *s = (struct fake_sink *)sink;
	return g_hash_table_ref(s->known);
}

static gboolean
fake_claim(struct source_sink *sink, const char *container)
{
	return TRUE;
}

static GPtrArray *
fake_known_containers(struct source_sink *sink, const char *kind, const char *prefix)
{
	return g_ptr_array_new_with_free_func(g_free);
}

static void
fake_expect(struct source_sink *sink, guint64 n)
{
}

static void
fake_add(struct source_sink *sink, struct source_item *item)
{
	g_ptr_array_add(((struct fake_sink *)sink)->items, item);
}

static void
fake_moved(struct source_sink *sink, gint64 location_id, const char *sub, const char *info)
{
	/* An mbox copy moves when its flags change; the file did not. */
	fuzz_fail("moved() called for a copy of an unchanged mbox");
}

static void
fake_gone(struct source_sink *sink, gint64 location_id)
{
	((struct fake_sink *)sink)->gone++;
}

static void
fake_container_done(struct source_sink *sink, const char *container, gint64 mtime_ns, gint64 size)
{
	((struct fake_sink *)sink)->done++;
}

static void
fake_skipped(struct source_sink *sink, const char *path, const char *reason)
{
	((struct fake_sink *)sink)->skipped++;
}

static void
known_location_free(gpointer p)
{
	struct known_location *kl = p;
	g_free(kl->sub);
	g_free(kl->info);
	g_free(kl);
}

/* Never interrupted: the whole file is scanned. */
static gboolean
fake_stopping(struct source_sink *sink)
{
	return FALSE;
}

static void
fake_sink_init(struct fake_sink *s)
{
	*s = (struct fake_sink){
		.sink = {
			.container_state = fake_container_state,
			.known_locations = fake_known_locations,
			.claim = fake_claim,
			.known_containers = fake_known_containers,
			.expect = fake_expect,
			.add = fake_add,
			.moved = fake_moved,
			.gone = fake_gone,
			.container_done = fake_container_done,
			.skipped = fake_skipped,
			.stopping = fake_stopping,
		},
		.items = g_ptr_array_new_with_free_func((GDestroyNotify)source_item_free),
		.known = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
		                               known_location_free),
	};
}

static void
fake_sink_clear(struct fake_sink *s)
{
	g_ptr_array_unref(s->items);
	g_hash_table_unref(s->known);
}

/* Returns FALSE when the file is refused as a whole (not an mbox, CR-only
 * line ends): a refusal must say why, and only a first scan may refuse. */
static gboolean
scan(struct fake_sink *s, gboolean may_refuse)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(source) src = source_new("mbox", "fuzz", file.path, &error);
	if (!src)
		fuzz_fail("no mbox source: %s", error ? error->message : "no error");
	if (!src->ops->scan(src, &s->sink, &error)) {
		if (!may_refuse || !error || !*error->message)
			fuzz_fail("scanning the mbox failed: %s",
			          error ? error->message : "no error");
		return FALSE;
	}
	/* Each scan either finishes the file or says why it did not. */
	if (s->done > 1 || (s->done == 0 && s->skipped == 0))
		fuzz_fail("a scan ended with %u container_done() and %u skipped()", s->done,
		          s->skipped);
	return TRUE;
}

/* Each message is where the item says, and reads back as the item's bytes. */
static void
check_items(const struct fake_sink *s, const uint8_t *data, size_t size)
{
	gint64 last_end = 0;
	for (guint i = 0; i < s->items->len; i++) {
		const struct source_item *it = g_ptr_array_index(s->items, i);
		if (it->offset < last_end || it->length < 0 ||
		    it->offset + it->length > (gint64)size)
			fuzz_fail("message %u: offset %" G_GINT64_FORMAT " length %" G_GINT64_FORMAT
			          " in a file of %zu bytes (the last ended at %" G_GINT64_FORMAT
			          ")",
			          i, it->offset, it->length, size, last_end);
		last_end = it->offset + it->length;
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) back =
		    mbox_read_message(file.path, it->offset, it->length, &error);
		if (!back)
			fuzz_fail("message %u does not read back: %s", i, error->message);
		if (!it->data || !g_bytes_equal(back, it->data))
			fuzz_fail("message %u reads back as other bytes than the scan gave", i);
		g_autoptr(GBytes) unquoted =
		    mbox_unquote((const char *)data + it->offset, it->length);
		if (!g_bytes_equal(unquoted, it->data))
			fuzz_fail("message %u: mbox_unquote() differs from the scan", i);
	}
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_init();
	fuzz_file_init(&file);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_file_set(&file, data, size);

	struct fake_sink first;
	fake_sink_init(&first);
	if (!scan(&first, TRUE)) {
		fake_sink_clear(&first);
		return 0;
	}
	if (first.gone)
		fuzz_fail("gone() called when the index knew nothing");
	check_items(&first, data, size);

	/* Nothing changed: a scan that knows every copy has nothing to do. */
	struct fake_sink second;
	fake_sink_init(&second);
	for (guint i = 0; i < first.items->len; i++) {
		const struct source_item *it = g_ptr_array_index(first.items, i);
		struct known_location *kl = g_new0(struct known_location, 1);
		kl->id = i + 1;
		kl->sub = g_strdup("");
		kl->info = g_strdup(it->info); /* the flags (Status, X-Status) */
		kl->length = it->length;
		kl->fingerprint = it->fingerprint;
		if (!g_hash_table_insert(second.known, g_strdup(it->name), kl))
			fuzz_fail("two messages share the name %s", it->name);
	}
	scan(&second, FALSE);
	if (second.items->len || second.gone)
		fuzz_fail("an unchanged mbox scanned again: %u added, %u gone", second.items->len,
		          second.gone);
	fake_sink_clear(&first);
	fake_sink_clear(&second);
	return 0;
}
