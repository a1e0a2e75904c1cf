/* Fuzz target: IMAP's modified UTF-7 (imap/mutf7.c), both ways.
 *
 * The input is decoded as a folder name from a server, and encoded as one
 * from the config. Besides crashes it checks that a decoded name is valid
 * UTF-8, that an encoded one is printable ASCII, and that decoding undoes
 * the encoding of valid UTF-8. */
#include "config.h"

#include <string.h>

#include "fuzz/fuzz.h"
#include "imap/mutf7.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_init();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Names are C strings on both sides. */
	if (memchr(data, '\0', size))
		return 0;
	g_autofree char *name = g_strndup((const char *)data, size);

	g_autofree char *decoded = mutf7_decode(name);
	fuzz_check_utf8("mutf7_decode()", decoded);

	/* Folder names in the config are taken as written: conf.c reads raw
	 * values, which GKeyFile does not check for UTF-8. */
	g_autofree char *encoded = mutf7_encode(name);
	for (const char *p = encoded; *p; p++)
		if ((guchar)*p < 0x20 || (guchar)*p > 0x7e)
			fuzz_fail("mutf7_encode() made byte 0x%02x at %td of %s", (guchar)*p,
			          p - encoded, encoded);
	if (!g_utf8_validate(name, -1, NULL))
		return 0;
	g_autofree char *back = mutf7_decode(encoded);
	if (g_strcmp0(back, name) != 0)
		fuzz_fail("mutf7_decode(mutf7_encode(%s)) is %s (encoded %s)", name,
		          back ? back : "NULL", encoded);
	return 0;
}
