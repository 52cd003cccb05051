/* compliance.c - consent, revocation and scrubs of a lead, and the rule
 * over them; see compliance.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pure/compliance.h"
#include "pure/time_text.h"
#include "diag.h"
#include "banned.h"

#define PATH_SIZE 64

static const char *const scrub_kinds[SCRUB_KINDS] = {
	"national_dnc", "state_dnc", "reassigned", "litigator"
};

/* "consent[2]" of an array's member, "consent" of the single object. */
static void member_path(char path[PATH_SIZE], const char *field, int index)
{
	if (index < 0)
		snprintf(path, PATH_SIZE, "%s", field);
	else
		snprintf(path, PATH_SIZE, "%s[%d]", field, index);
}

/* Report a bad field at loc; loc NULL: quietly (a stored record). */
static enum brain_status bad_field(const struct json_loc *loc, const char *path,
				   const char *member, const char *what)
{
	if (!loc)
		return BRAIN_DATA;
	return diag_error_at(BRAIN_DATA, loc->file, loc->line, "field '%s%s%s' %s", path,
			     member ? "." : "", member ? member : "", what);
}

/* An optional string member; BRAIN_DATA (reported) when not a string. */
static enum brain_status opt_string(const cJSON *obj, const char *member,
				    const struct json_loc *loc, const char *path,
				    const char **out)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(obj, member);

	*out = NULL;
	if (!m)
		return BRAIN_OK;
	if (!cJSON_IsString(m))
		return bad_field(loc, path, member, "must be a string");
	*out = m->valuestring;
	return BRAIN_OK;
}

/* An RFC 3339 timestamp with its time of day (a bare date is too vague
 * for evidence of when). */
static int timestamp_parse(const char *text, time_t *out)
{
	return strlen(text) > 10 && !time_text_parse(text, out) ? 0 : -1;
}

static int date_parse(const char *text, time_t *out)
{
	return strlen(text) == 10 && !time_text_parse(text, out) ? 0 : -1;
}

/* A list of channel names into bits; "all" (alone, or as the list's one
 * item) when every is allowed. */
static enum brain_status channels_read(const cJSON *list, int all_ok, const struct json_loc *loc,
				       const char *path, unsigned *out)
{
	const cJSON *c;
	char what[128];

	*out = 0;
	if (all_ok && cJSON_IsString(list) && !strcasecmp(list->valuestring, "all")) {
		*out = COMPLIANCE_EVERY_CHANNEL;
		return BRAIN_OK;
	}
	if (!cJSON_IsArray(list))
		return bad_field(loc, path, "channels", all_ok ?
				 "must be a list of channels or \"all\"" : "must be a list of channels");
	cJSON_ArrayForEach(c, list) {
		int ch = -1;

		if (cJSON_IsString(c)) {
			for (int i = CONTACT_PHONE; i <= CONTACT_MAIL && ch < 0; i++)
				if (!strcasecmp(c->valuestring, contact_channel_name(i)))
					ch = i;
			if (ch < 0 && all_ok && !strcasecmp(c->valuestring, "all")) {
				*out |= COMPLIANCE_EVERY_CHANNEL;
				continue;
			}
		}
		if (ch < 0) {
			snprintf(what, sizeof(what), "holds %s%.40s%s: the channels are phone, "
				 "sms, email and mail", cJSON_IsString(c) ? "'" : "a",
				 cJSON_IsString(c) ? c->valuestring : " non-string",
				 cJSON_IsString(c) ? "'" : "");
			return bad_field(loc, path, "channels", what);
		}
		*out |= 1u << ch;
	}
	return BRAIN_OK;
}

static enum brain_status consent_read(const cJSON *obj, const struct json_loc *loc,
				      const char *path, unsigned flags,
				      struct compliance_consent *out)
{
	static const char *const texts[] = { "type", "source", "disclosure_text",
					     "certificate_id" };
	const char *s, *when = NULL;
	const cJSON *ts;
	enum brain_status status;

	if (!cJSON_IsObject(obj))
		return bad_field(loc, path, NULL, "must be an object {\"type\",\"channels\","
				 "\"timestamp\",...}");
	for (size_t i = 0; i < sizeof(texts) / sizeof(*texts); i++)
		if ((status = opt_string(obj, texts[i], loc, path, &s)))
			return status;
	if ((status = opt_string(obj, "disclosure_sha256", loc, path, &s)))
		return status;
	if (s && (strlen(s) != 64 || strspn(s, "0123456789abcdef") != 64))
		return bad_field(loc, path, "disclosure_sha256",
				 "must be a SHA-256 in 64 lowercase hex digits");
	if (!cJSON_HasObjectItem(obj, "channels"))
		return bad_field(loc, path, "channels", "is missing: a consent names its channels");
	if ((status = channels_read(cJSON_GetObjectItemCaseSensitive(obj, "channels"), 0, loc,
				    path, &out->channels)))
		return status;
	ts = cJSON_GetObjectItemCaseSensitive(obj, "timestamp");
	if (!ts)
		ts = cJSON_GetObjectItemCaseSensitive(obj, "ts");
	if (ts && (!cJSON_IsString(ts) || timestamp_parse(ts->valuestring, &out->time)))
		return bad_field(loc, path, ts->string, "must be an RFC 3339 timestamp "
				 "(2026-11-20T15:04:05Z)");
	if (ts)
		when = ts->valuestring;
	if (!when && (flags & COMPLIANCE_STRICT))
		return bad_field(loc, path, "timestamp", "is missing: a consent needs the time "
				 "it was given");
	out->has_time = when != NULL;
	return BRAIN_OK;
}

static enum brain_status revocation_read(const cJSON *obj, const struct json_loc *loc,
					 const char *path, unsigned flags,
					 struct compliance_revocation *out)
{
	const cJSON *channels;
	enum brain_status status;

	memset(out, 0, sizeof(*out));
	if (!cJSON_IsObject(obj))
		return bad_field(loc, path, NULL, "must be an object {\"time\",\"method\","
				 "\"channels\"}");
	if ((status = opt_string(obj, "time", loc, path, &out->time_text)) ||
	    (status = opt_string(obj, "method", loc, path, &out->method)))
		return status;
	if (out->time_text && timestamp_parse(out->time_text, &out->time))
		return bad_field(loc, path, "time", "must be an RFC 3339 timestamp "
				 "(2026-11-20T15:04:05Z)");
	if ((flags & COMPLIANCE_STRICT) && !out->time_text)
		return bad_field(loc, path, "time", "is missing: a revocation needs the time "
				 "it was made");
	if ((flags & COMPLIANCE_STRICT) && (!out->method || !*out->method))
		return bad_field(loc, path, "method", "is missing: a revocation needs how it "
				 "was made (reply_stop, verbal, email, ...)");
	out->has_time = out->time_text != NULL;
	channels = cJSON_GetObjectItemCaseSensitive(obj, "channels");
	if (!channels) {
		out->channels = COMPLIANCE_EVERY_CHANNEL;
		return BRAIN_OK;
	}
	return channels_read(channels, 1, loc, path, &out->channels);
}

/* "field": an array of objects, or one object; each read by one of the
 * two readers above into a growing array of size elem. */
static enum brain_status records_read(const cJSON *lead, const char *field,
				      const struct json_loc *loc, unsigned flags,
				      struct compliance *c)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(lead, field), *m;
	int consent = !strcmp(field, "consent"), single = cJSON_IsObject(v), i = 0;
	size_t n = single ? 1 : (size_t)cJSON_GetArraySize(v);
	char path[PATH_SIZE];
	enum brain_status status = BRAIN_OK;

	if (!v)
		return BRAIN_OK;
	if (!single && !cJSON_IsArray(v))
		return bad_field(loc, field, NULL, "must be a list of records (or one record)");
	if (consent)
		c->consents = xcalloc(n ? n : 1, sizeof(*c->consents));
	else
		c->revocations = xcalloc(n ? n : 1, sizeof(*c->revocations));
	for (m = single ? v : v->child; m && !status; m = single ? NULL : m->next, i++) {
		member_path(path, field, single ? -1 : i);
		if (consent)
			status = consent_read(m, loc, path, flags, &c->consents[c->nconsents++]);
		else
			status = revocation_read(m, loc, path, flags,
						 &c->revocations[c->nrevocations++]);
	}
	return status;
}

/* One scrub record, kept when it is the latest of its kind. */
static enum brain_status scrub_read(const cJSON *obj, const struct json_loc *loc,
				    const char *path, struct compliance *c)
{
	const char *kind, *date, *source, *result;
	struct compliance_scrub s = { 1, 0, NULL, NULL, 0 };
	enum brain_status status;
	int k = -1;

	if (!cJSON_IsObject(obj))
		return bad_field(loc, path, NULL, "must be an object {\"kind\",\"date\","
				 "\"source\",\"result\"}");
	if ((status = opt_string(obj, "kind", loc, path, &kind)) ||
	    (status = opt_string(obj, "date", loc, path, &date)) ||
	    (status = opt_string(obj, "source", loc, path, &source)) ||
	    (status = opt_string(obj, "result", loc, path, &result)))
		return status;
	for (int i = 0; kind && i < SCRUB_KINDS; i++)
		if (!strcmp(kind, scrub_kinds[i]))
			k = i;
	if (k < 0)
		return bad_field(loc, path, "kind", "must be national_dnc, state_dnc, "
				 "reassigned or litigator");
	if (!date || date_parse(date, &s.date))
		return bad_field(loc, path, "date", "must be a date, YYYY-MM-DD");
	if (!result || (strcmp(result, "clear") && strcmp(result, "listed")))
		return bad_field(loc, path, "result", "must be clear or listed");
	s.date_text = date;
	s.source = source;
	s.listed = !strcmp(result, "listed");
	/* The latest counts; on one date, a listed result wins. */
	if (!c->scrub[k].given || s.date > c->scrub[k].date ||
	    (s.date == c->scrub[k].date && s.listed))
		c->scrub[k] = s;
	return BRAIN_OK;
}

static enum brain_status scrubs_read(const cJSON *lead, const struct json_loc *loc,
				     struct compliance *c)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(lead, "scrubs"), *m;
	const cJSON *dnc = cJSON_GetObjectItemCaseSensitive(lead, "dnc_scrub");
	char path[PATH_SIZE];
	enum brain_status status;
	int i = 0;

	if (dnc) {
		/* The national scrub of the older form: found clear. */
		const char *date = NULL, *source = NULL;
		time_t when;

		if (!cJSON_IsObject(dnc) || opt_string(dnc, "source", loc, "dnc_scrub", &source))
			return diag_error_at(BRAIN_DATA, loc->file, loc->line, "field 'dnc_scrub' "
					     "must be {\"date\":\"YYYY-MM-DD\",\"source\":TEXT}");
		date = json_string(dnc, "date");
		if (!date || date_parse(date, &when))
			return bad_field(loc, "dnc_scrub", "date", "must be a date, YYYY-MM-DD");
		c->scrub[SCRUB_NATIONAL_DNC] = (struct compliance_scrub){ 1, when, date, source, 0 };
	}
	if (!list)
		return BRAIN_OK;
	if (!cJSON_IsArray(list))
		return bad_field(loc, "scrubs", NULL, "must be a list of scrub records");
	cJSON_ArrayForEach(m, list) {
		member_path(path, "scrubs", i++);
		if ((status = scrub_read(m, loc, path, c)))
			return status;
	}
	return BRAIN_OK;
}

/* opt_out as readers have always taken it: true for every channel, or a
 * list of channel names (anything else is no opt-out). */
static unsigned opt_out_read(const cJSON *lead)
{
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(lead, "opt_out"), *c;
	unsigned bits = 0;
	int ch;

	if (cJSON_IsTrue(o))
		return COMPLIANCE_EVERY_CHANNEL;
	cJSON_ArrayForEach(c, o) {
		if (cJSON_IsString(c) && (ch = contact_channel_guess(c->valuestring)) >= 0)
			bits |= 1u << ch;
	}
	return bits;
}

enum brain_status compliance_read(const cJSON *lead, const struct json_loc *loc,
				  unsigned flags, struct compliance *out)
{
	static const char *const fields[] = { "phone", "email", "dnc", "consent", "opt_out",
		"revocation", "scrubs", "dnc_scrub" };
	enum brain_status status;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < sizeof(fields) / sizeof(*fields); i++)
		out->present |= cJSON_HasObjectItem(lead, fields[i]);
	out->dnc = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(lead, "dnc"));
	out->opted_out = opt_out_read(lead);
	out->has_consent = cJSON_HasObjectItem(lead, "consent");
	compliance_set_scrub_days(out, NULL);
	if ((status = records_read(lead, "consent", loc, flags, out)) ||
	    (status = records_read(lead, "revocation", loc, flags, out)) ||
	    (status = scrubs_read(lead, loc, out)))
		return status;
	return BRAIN_OK;
}

const char *compliance_scrub_kind_name(enum compliance_scrub_kind kind)
{
	return kind < SCRUB_KINDS ? scrub_kinds[kind] : "";
}

void compliance_set_scrub_days(struct compliance *c, const int *days)
{
	for (int k = 0; k < SCRUB_KINDS; k++)
		c->scrub_days[k] = days ? days[k] : CONTACT_SCRUB_DAYS;
}

void compliance_add_stored(struct compliance *c, const cJSON *revocations)
{
	const cJSON *m;
	int single = cJSON_IsObject(revocations);

	for (m = single ? revocations : cJSON_IsArray(revocations) ? revocations->child : NULL;
	     m; m = single ? NULL : m->next) {
		struct compliance_revocation r;

		if (revocation_read(m, NULL, "revocation", COMPLIANCE_STRICT, &r))
			continue;
		r.stored = 1;
		c->revocations = xrealloc(c->revocations,
					  (c->nrevocations + 1) * sizeof(*c->revocations));
		c->revocations[c->nrevocations++] = r;
	}
}

unsigned compliance_revocation_channels(const cJSON *revocation)
{
	struct compliance_revocation r;

	return revocation_read(revocation, NULL, "revocation", 0, &r) ? 0 : r.channels;
}

void compliance_free(struct compliance *c)
{
	free(c->consents);
	free(c->revocations);
	memset(c, 0, sizeof(*c));
}

/* The channels of bits as "phone, sms", or "every channel". */
static void channels_text(unsigned bits, char *buf, size_t size)
{
	size_t used = 0;

	if ((bits & COMPLIANCE_EVERY_CHANNEL) == COMPLIANCE_EVERY_CHANNEL) {
		snprintf(buf, size, "every channel");
		return;
	}
	buf[0] = '\0';
	for (int i = CONTACT_PHONE; i <= CONTACT_MAIL; i++)
		if (bits & (1u << i)) {
			snprintf(buf + used, size - used, "%s%s", used ? ", " : "",
				 contact_channel_name(i));
			used = strlen(buf);
		}
}

/* The revocation that removes every consent on channel, or NULL: the
 * latest revocation covering it, when it is no earlier than the latest
 * consent covering it (a missing time is the earlier of two). */
static const struct compliance_revocation *revoked(const struct compliance *c,
						   enum contact_channel channel)
{
	const struct compliance_revocation *last = NULL;
	const struct compliance_consent *consent = NULL;
	unsigned bit = 1u << channel;

	for (size_t i = 0; i < c->nrevocations; i++) {
		const struct compliance_revocation *r = &c->revocations[i];

		if ((r->channels & bit) &&
		    (!last || (r->has_time && (!last->has_time || r->time > last->time))))
			last = r;
	}
	if (!last)
		return NULL;
	for (size_t i = 0; i < c->nconsents; i++) {
		const struct compliance_consent *k = &c->consents[i];

		if ((k->channels & bit) &&
		    (!consent || (k->has_time && (!consent->has_time || k->time > consent->time))))
			consent = k;
	}
	if (consent && consent->has_time && last->has_time && consent->time > last->time)
		return NULL;
	return last;
}

static void revoked_text(const struct compliance_revocation *r, char *why, size_t size)
{
	char channels[64];

	channels_text(r->channels, channels, sizeof(channels));
	snprintf(why, size, "consent revoked%s%s%s%s (%s)%s", r->method ? " by " : "",
		 r->method ? r->method : "", r->time_text ? " at " : " (no time given)",
		 r->time_text ? r->time_text : "", channels,
		 r->stored ? "; kept in the suppression list" : "");
}

static int consents_to(const struct compliance *c, enum contact_channel channel)
{
	for (size_t i = 0; i < c->nconsents; i++)
		if (c->consents[i].channels & (1u << channel))
			return 1;
	return 0;
}

/* A listed result of the latest scrub of some kind, as a reason. */
static int scrub_listed(const struct compliance *c, char *why, size_t size)
{
	static const char *const what[SCRUB_KINDS] = {
		"listed on the national Do-Not-Call registry",
		"listed on a state Do-Not-Call list",
		"the number was reassigned to someone else since consent was given",
		"listed as a known TCPA litigator",
	};
	static const char *const scrub[SCRUB_KINDS] = {
		"national_dnc", "state_dnc", "reassigned-number", "litigator"
	};

	for (int k = SCRUB_KINDS - 1; k >= 0; k--) {
		const struct compliance_scrub *s = &c->scrub[k];

		if (s->given && s->listed) {
			snprintf(why, size, "%s (%s scrub of %s%s%s)", what[k], scrub[k],
				 s->date_text, s->source ? ", " : "", s->source ? s->source : "");
			return 1;
		}
	}
	return 0;
}

/* The latest scrub of some kind older than its limit, as a reason. */
static int scrub_stale(const struct compliance *c, time_t now, char *why, size_t size)
{
	static const char *const what[SCRUB_KINDS] = {
		"Do-Not-Call", "state Do-Not-Call", "reassigned-number", "litigator"
	};

	for (int k = 0; k < SCRUB_KINDS; k++) {
		const struct compliance_scrub *s = &c->scrub[k];
		int days = c->scrub_days[k];

		/* By dates: on any hour of 2026-11-28, a scrub of 2026-10-28 is
		 * 31 days old, one of 2026-10-27 more. */
		if (!s->given || days <= 0 || difftime(now, s->date) < (days + 1.0) * 86400.0)
			continue;
		snprintf(why, size, "the %s scrub of %s%s%s%s is more than %d days old: "
			 "scrub again before calling or texting", what[k], s->date_text,
			 s->source ? " (" : "", s->source ? s->source : "", s->source ? ")" : "",
			 days);
		return 1;
	}
	return 0;
}

static int blocks_call(const struct compliance *c, enum contact_channel channel, time_t now,
		       unsigned flags, char *why, size_t size)
{
	const struct compliance_revocation *r;

	if (c->dnc)
		snprintf(why, size, "on the Do-Not-Call list (dnc)");
	else if (scrub_listed(c, why, size) || scrub_stale(c, now, why, size))
		;
	else if (c->opted_out & (1u << channel))
		snprintf(why, size, "opted out");
	else if (c->phone_rule[0])
		snprintf(why, size, "on the suppression list (%s)", c->phone_rule);
	else if ((r = revoked(c, channel)))
		revoked_text(r, why, size);
	else if (((flags & COMPLIANCE_NEED_CONSENT) || c->has_consent) &&
		 !consents_to(c, channel))
		snprintf(why, size, "%s", channel == CONTACT_PHONE ? "no consent for phone calls"
			 : "no consent for SMS");
	else
		return 0;
	return 1;
}

int compliance_blocks(const struct compliance *c, enum contact_channel channel, time_t now,
		      unsigned flags, char *why, size_t size)
{
	const struct compliance_revocation *r;

	why[0] = '\0';
	if (channel == CONTACT_PHONE || channel == CONTACT_SMS)
		return blocks_call(c, channel, now, flags, why, size);
	if (channel != CONTACT_EMAIL)
		return 0;
	if (c->opted_out & (1u << CONTACT_EMAIL))
		snprintf(why, size, "opted out of email");
	else if (c->email_rule[0])
		snprintf(why, size, "on the suppression list (%s)", c->email_rule);
	else if ((r = revoked(c, CONTACT_EMAIL)))
		revoked_text(r, why, size);
	else
		return 0;
	return 1;
}
