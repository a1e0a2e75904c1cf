/* Inside the printer: what each output format implements (printer.h is the
 * interface the commands use). */
#ifndef MC_PRINTER_OPS_H
#define MC_PRINTER_OPS_H

#include <glib.h>

#include "cli/printer.h"

/* What each format implements (printer-*.c). */
struct printer_ops {
	const char *name;                 /* "text", "json", "files", "files0", "vcard", "mutt" */
	void (*init)(struct printer *p);  /* sets up p->data; may be NULL */
	void (*clear)(struct printer *p); /* frees p->data; may be NULL */
	void (*record)(struct printer *p, const struct record_kind *kind, gconstpointer record,
	               guint index);
	void (*list_begin)(struct printer *p, const char *key, const char *heading);
	/* COUNT records were printed since list_begin. */
	void (*list_end)(struct printer *p, const char *empty, guint count);
	void (*group_begin)(struct printer *p); /* may be NULL */
	void (*group_end)(struct printer *p);   /* may be NULL */
	void (*finish)(struct printer *p);      /* the last bytes; may be NULL */
	/* The values; NULL in formats that print no keyed values. */
	void (*key)(struct printer *p, const char *key);
	void (*string)(struct printer *p, const char *s);
	void (*integer)(struct printer *p, gint64 v);
	void (*boolean)(struct printer *p, gboolean v);
	void (*null)(struct printer *p);
	void (*map_begin)(struct printer *p);
	void (*map_end)(struct printer *p);
	void (*array_begin)(struct printer *p);
	void (*array_end)(struct printer *p);
};

extern const struct printer_ops printer_text_ops;
extern const struct printer_ops printer_json_ops;
extern const struct printer_ops printer_files_ops;
extern const struct printer_ops printer_files0_ops;
extern const struct printer_ops printer_vcard_ops;
extern const struct printer_ops printer_mutt_ops;

/* The state every format shares; only printer-*.c look inside. */
struct printer {
	const struct printer_ops *ops;
	GString *out;       /* written to stdout in pieces (printer_flush) */
	GArray *counts;     /* guint per open list: records printed in it */
	GPtrArray *empties; /* const char * per open list: its EMPTY text */
	guint top_count;    /* records printed outside any list */
	gpointer data;      /* the format's own state */
};

/* Writes OUT to stdout once it holds more than 64 kB. */
void printer_flush(struct printer *p);

#endif
