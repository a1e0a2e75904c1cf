/* mailclerk's GError domain. */
#include "config.h"

#include "common/error.h"

G_DEFINE_QUARK(mailclerk - error - quark, mc_error)
