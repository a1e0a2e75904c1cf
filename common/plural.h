/* Counts in sentences for people: "1 message", "2 messages". */
#ifndef MC_PLURAL_H
#define MC_PLURAL_H

/* "s" after a count N that is not one, else "". */
#define PLURAL_S(n) ((n) == 1 ? "" : "s")

#endif
