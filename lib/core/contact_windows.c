/* contact_windows.c - calling-window rules from their file, and local time
 * in a zone; see contact_windows.h. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/contact_windows.h"
#include "core/config.h"
#include "core/file.h"
#include "core/jsonl.h"
#include "core/state.h"
#include "diag.h"
#include "pure/json.h"
#include "banned.h"

#define CONTACT_WINDOWS_MAX_BYTES ((size_t)4 << 20)

enum brain_status contact_state_open(const char *state_option, struct state *st, int *opened)
{
	enum brain_status status;
	char *path;
	struct stat sb;

	*opened = 0;
	if ((status = state_resolve_path(state_option, &path)))
		return status;
	if (stat(path, &sb) == 0 || errno != ENOENT) {
		if (!(status = state_open(st, state_option, STATE_READ)))
			*opened = 1;
	}
	free(path);
	return status;
}

enum brain_status contact_config_load(const char *state_option, struct config **out)
{
	struct state st;
	enum brain_status status;
	int opened;

	*out = NULL;
	if ((status = contact_state_open(state_option, &st, &opened)))
		return status;
	status = config_load(opened ? st.dirfd : -1, out);
	if (opened)
		state_close(&st);
	return status;
}

/* contact.windows_file from the state's config.json, copied, or NULL when
 * it is empty. */
static enum brain_status configured_file(const char *state_option, char **out)
{
	struct config *cfg;
	enum brain_status status;

	*out = NULL;
	if ((status = contact_config_load(state_option, &cfg)))
		return status;
	if (*config_string(cfg, "contact.windows_file"))
		*out = xstrdup(config_string(cfg, "contact.windows_file"));
	config_free(cfg);
	return BRAIN_OK;
}

/* The shipped file beside the running executable, or NULL. */
static char *shipped_file(void)
{
	static const char *const places[] = { "/../data/", "/../share/brain/" };
	char exe[PATH_MAX], path[PATH_MAX + 64];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	if (!(slash = strrchr(exe, '/')))
		return NULL;
	*slash = '\0';
	for (size_t i = 0; i < sizeof(places) / sizeof(places[0]); i++) {
		snprintf(path, sizeof(path), "%s%s%s", exe, places[i], CONTACT_WINDOWS_FILE);
		if (access(path, R_OK) == 0)
			return xstrdup(path);
	}
	return NULL;
}

static enum brain_status read_rules(const char *path, struct contact_rules *out)
{
	enum brain_status status;
	cJSON *doc;

	status = jsonl_read_object(path, CONTACT_WINDOWS_MAX_BYTES, &doc);
	if (status == BRAIN_NO)
		return diag_error(BRAIN_IO, "cannot read the calling windows '%s': no such file",
				  path);
	if (status)
		return status;
	status = contact_rules_from_json(doc, path, out);
	cJSON_Delete(doc);
	return status;
}

enum brain_status contact_windows_load(const char *state_option, struct contact_rules *out)
{
	enum brain_status status;
	char *path;

	memset(out, 0, sizeof(*out));
	if ((status = configured_file(state_option, &path)))
		return status;
	if (!path && !(path = shipped_file()))
		return diag_error(BRAIN_IO, "cannot find the calling windows (%s) beside the "
				  "program; set contact.windows_file", CONTACT_WINDOWS_FILE);
	status = read_rules(path, out);
	free(path);
	return status;
}

int contact_zone_known(const char *zone)
{
	const char *dir = getenv("TZDIR");
	char path[PATH_MAX];
	struct stat sb;

	if (!contact_zone_name_valid(zone))
		return 0;
	snprintf(path, sizeof(path), "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", zone);
	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* Set TZ to zone for one conversion; *saved keeps what to put back. */
static void zone_enter(const char *zone, char **saved)
{
	const char *old = getenv("TZ");

	*saved = old ? xstrdup(old) : NULL;
	setenv("TZ", zone, 1);
	tzset();
}

static void zone_leave(char *saved)
{
	if (saved)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved);
}

enum brain_status contact_zone_local(const char *zone, time_t t, struct tm *out, long *gmtoff)
{
	char *saved;
	struct tm *ok;

	zone_enter(zone, &saved);
	ok = localtime_r(&t, out);
	zone_leave(saved);
	if (!ok)
		return diag_error(BRAIN_IO, "cannot convert the time to zone %s", zone);
	*gmtoff = out->tm_gmtoff;
	return BRAIN_OK;
}

enum brain_status contact_zone_time(const char *zone, const struct tm *wall, time_t *out)
{
	struct tm tm = *wall;
	char *saved;

	tm.tm_isdst = -1;
	zone_enter(zone, &saved);
	*out = mktime(&tm);
	zone_leave(saved);
	if (*out == (time_t)-1)
		return diag_error(BRAIN_IO, "cannot convert a local time of zone %s", zone);
	return BRAIN_OK;
}
