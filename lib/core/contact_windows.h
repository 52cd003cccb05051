/*
 * contact_windows.h - the calling-window rules read from their file, and
 * local time in a recipient's zone from the system's tz database.
 *
 *     struct contact_rules r;
 *     struct tm local;
 *     long gmtoff;
 *     if ((status = contact_windows_load(cli->state_dir, &r)))
 *             return status;
 *     if (contact_zone_known("America/New_York") &&
 *         !(status = contact_zone_local("America/New_York", now, &local, &gmtoff)))
 *             ... contact_rules_decide(&r, ..., &local, &d) (pure/contact_rules.h) ...
 *     contact_rules_free(&r);
 *
 * The file: the setting contact.windows_file when it is not empty (a
 * relative path is taken from the working directory), else the file
 * shipped with the programs, found beside the running executable as
 * ../data/contact-windows.json (a build tree) or
 * ../share/brain/contact-windows.json (installed).  The state directory
 * is read only for its config.json; a missing one means the defaults.
 *
 * Local time: glibc has no call that converts in a given zone, so
 * contact_zone_local and contact_zone_time set TZ for the one conversion
 * and put the process's TZ back (and tzset again) before they return.
 * They are not thread-safe; the toolkit's programs are single-threaded.
 * DST comes from tzdata: a wall time in a spring-forward gap moves on by
 * the gap, as mktime(3) does.
 */
#ifndef BRAIN_CONTACT_WINDOWS_H
#define BRAIN_CONTACT_WINDOWS_H

#include <time.h>

#include "core/config.h"
#include "core/state.h"
#include "pure/contact_rules.h"
#include "status.h"

#define CONTACT_WINDOWS_FILE "contact-windows.json"

/* Find and read the rules (above) into *out, freed with
 * contact_rules_free.  state_option is -S or NULL.  BRAIN_IO when the
 * file cannot be found or read, BRAIN_DATA for a bad file, BRAIN_STATE for
 * a bad state directory or config.json; all reported. */
enum brain_status contact_windows_load(const char *state_option, struct contact_rules *out);

/* Open the state directory of state_option (-S, or NULL) read-only when
 * it exists (*opened 1; state_close it), and leave *opened 0 when it does
 * not: the readers of the calling windows go without a state.  BRAIN_STATE
 * (reported) for a state directory that is there but bad. */
enum brain_status contact_state_open(const char *state_option, struct state *st, int *opened);

/* The settings of the state of state_option (-S, or NULL): its
 * config.json, or the defaults alone when the state directory does not
 * exist.  *out is freed with config_free.  BRAIN_STATE (reported) for a
 * bad state directory or config.json. */
enum brain_status contact_config_load(const char *state_option, struct config **out);

/* 1 when zone is a well-formed IANA name that the tz database has
 * ($TZDIR, else /usr/share/zoneinfo); glibc would take an unknown one as
 * UTC without a word. */
int contact_zone_known(const char *zone);

/* The local time of t in zone, and its offset east of UTC in seconds.
 * BRAIN_IO (reported) when it cannot be converted. */
enum brain_status contact_zone_local(const char *zone, time_t t, struct tm *out, long *gmtoff);

/* The instant of the wall time wall in zone (tm_isdst -1: tzdata
 * decides).  BRAIN_IO (reported) when it cannot be converted. */
enum brain_status contact_zone_time(const char *zone, const struct tm *wall, time_t *out);

#endif
