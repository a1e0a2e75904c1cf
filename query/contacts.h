/* The address book behind `contacts`: the people of each client's mail,
 * one record per person and client, with all their addresses. Nothing here
 * prints. */
#ifndef MC_CONTACTS_H
#define MC_CONTACTS_H

#include <glib.h>

#include "common/conf.h"
#include "index/db.h"

/* One person in one client's mail. Owns its strings. */
struct contact {
	char *client;         /* the client key */
	char *name;           /* the latest display name given, "" when none */
	GPtrArray *addresses; /* char *, most messages first (then last seen, then address) */
	char *identity;       /* the address seen first: what stays the person (vCard UID) */
	gint64 messages;      /* the sum over the addresses */
	gint64 first, last;   /* dates: the earliest and the latest of the addresses */
};

/* Returns a struct contact * for each person in the mail filed under CLIENT
 * (NULL: each client, a record per client a person is in), most messages
 * first: not your own addresses (CFG's me), nor machine senders
 * (address_is_machine) unless MACHINES. Within a client, the addresses whose
 * display names have the same contacts_name_key() are one person, and so is
 * an address CFG lists under the client outside its domains with the one
 * person it names (see report_contacts in contacts.c). With QUERY (may be
 * NULL), only the people whose name or an address holds it, folded as
 * search folds. The caller unrefs the array, which frees the records. NULL
 * and ERROR on a database error. */
GPtrArray *report_contacts(struct mc_db *db, const struct mc_config *cfg, const char *client,
                           gboolean machines, const char *query, GError **error);

/* Returns what makes two display names one person's: NAME in NFKC, case
 * folded, white space collapsed, surrounding quotes dropped; or NULL when
 * NAME may not merge addresses: empty, an address, a relay's ("Bob via
 * Acme Team", "Bob (via Google Docs)"), or only generic words ("Support",
 * "Sales Team") and words of ORG (the client's name and key; may be NULL).
 * The caller frees it. */
char *contacts_name_key(const char *name, const char *org);

#endif
