/* The index's stored text: zstd compression and the mc_unzstd() SQL function. */
#include "config.h"

#include <string.h>
#include <zstd.h>

#include "index/text.h"
#include "common/error.h"

/* Level 1: on mail bodies (a few KB each) it compresses as level 3, zstd's
 * default, does (0.3 % more bytes on the bench corpus) for a little less
 * of an ingest's work: 0.5 % fewer instructions (callgrind, 2,000
 * messages), 1-8 % less time in alternated runs, within this machine's
 * noise. */
#define TEXT_ZSTD_LEVEL 1
/* Bodies are cut at 1 MiB by parse.c; anything claiming far more is not ours. */
#define TEXT_MAX_SIZE (64 * 1024 * 1024)

static void
cctx_free(gpointer p)
{
	ZSTD_freeCCtx(p);
}

static GPrivate text_cctx = G_PRIVATE_INIT(cctx_free);

static void
dctx_free(gpointer p)
{
	ZSTD_freeDCtx(p);
}

/* ZSTD_decompress() makes and frees a context each call, which costs more
 * than decompressing a mail body: keep one per thread. */
static GPrivate text_dctx = G_PRIVATE_INIT(dctx_free);

GBytes *
text_compress(const char *text)
{
	size_t len = strlen(text);
	ZSTD_CCtx *cctx = g_private_get(&text_cctx);
	if (!cctx) {
		cctx = ZSTD_createCCtx();
		g_private_set(&text_cctx, cctx);
	}
	size_t cap = ZSTD_compressBound(len);
	char *out = g_malloc(cap);
	size_t n = ZSTD_compressCCtx(cctx, out, cap, text, len, TEXT_ZSTD_LEVEL);
	/* Compression into a ZSTD_compressBound() buffer cannot fail but for a
	 * memory error, which g_malloc would have aborted on already. */
	g_assert(!ZSTD_isError(n));
	return g_bytes_new_take(g_realloc(out, n ? n : 1), n);
}

static void
sql_unzstd(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const void *in = sqlite3_value_blob(argv[0]);
	int inlen = sqlite3_value_bytes(argv[0]);
	if (!in || inlen == 0) {
		sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
		return;
	}
	unsigned long long size = ZSTD_getFrameContentSize(in, inlen);
	if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN ||
	    size > TEXT_MAX_SIZE) {
		sqlite3_result_error(ctx, "mc_unzstd: not a mailclerk text", -1);
		return;
	}
	char *out = sqlite3_malloc64(size + 1);
	if (!out) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	ZSTD_DCtx *dctx = g_private_get(&text_dctx);
	if (!dctx) {
		dctx = ZSTD_createDCtx();
		g_private_set(&text_dctx, dctx);
	}
	size_t n = ZSTD_decompressDCtx(dctx, out, size, in, inlen);
	if (ZSTD_isError(n)) {
		sqlite3_free(out);
		sqlite3_result_error(ctx, "mc_unzstd: corrupt text", -1);
		return;
	}
	out[n] = '\0';
	sqlite3_result_text64(ctx, out, n, sqlite3_free, SQLITE_UTF8);
}

gboolean
text_register(sqlite3 *db, GError **error)
{
	if (sqlite3_create_function(db, "mc_unzstd", 1,
	                            SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
	                            sql_unzstd, NULL, NULL) != SQLITE_OK) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "cannot register mc_unzstd: %s",
		            sqlite3_errmsg(db));
		return FALSE;
	}
	return TRUE;
}
