/*
 * contact.h - phone numbers and email addresses in one form, so that a
 * suppression list matches however a lead wrote them.
 */
#ifndef BRAIN_CONTACT_H
#define BRAIN_CONTACT_H

#include <stddef.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "pure/json.h"

/* Normalise a phone number to +digits (10 digits are taken as +1), or an
 * email to lowercase; 0 on success, -1 when it is not one. */
int contact_normalise_phone(const char *in, char *out, size_t size);
int contact_normalise_email(const char *in, char *out, size_t size);

/* The national Do-Not-Call registry must be scrubbed within this many
 * days (16 CFR 310.4(b)(3)(iv)). */
#define CONTACT_SCRUB_DAYS 31

/* A lead's "dnc_scrub":{"date":"YYYY-MM-DD","source":"national"}: 1 when
 * it is more than CONTACT_SCRUB_DAYS days before now (why, a sentence,
 * into why), 0 when recent or absent, -1 (reported at loc as bad data)
 * when it is not such an object. */
int contact_scrub_stale(const cJSON *lead, time_t now, const struct json_loc *loc,
			char *why, size_t size);

#endif
