/* json.c - strict parsing, typed access and formatting of JSON records
 * over cJSON; see json.h. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "pure/json.h"
#include "banned.h"

/* Integers a double holds exactly: beyond 2^53 a count would be rounded. */
#define EXACT_INT_MAX 9007199254740992.0

/* The length of the valid UTF-8 sequence at p (whose lead byte is not
 * ASCII), or 0: no overlong forms, no surrogates, nothing past U+10FFFF. */
static size_t utf8_step(const unsigned char *p, const unsigned char *end)
{
	unsigned c = *p, need, min;
	uint32_t cp;

	if (c >= 0xc2 && c <= 0xdf) {
		need = 1; min = 0x80; cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		need = 2; min = 0x800; cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 3; min = 0x10000; cp = c & 0x07;
	} else {
		return 0;
	}
	if ((size_t)(end - p) <= need)
		return 0;
	for (unsigned i = 1; i <= need; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return need + 1;
}

size_t json_utf8_fault(const char *s, size_t len)
{
	const unsigned char *start = (const unsigned char *)s, *p = start, *end = p + len;

	while (p < end) {
		size_t step;

		/* Eight ASCII bytes at a time: most input is ASCII. */
		if ((size_t)(end - p) >= 8) {
			uint64_t w;

			memcpy(&w, p, 8);
			if (!(w & 0x8080808080808080ULL)) {
				p += 8;
				continue;
			}
		}
		if (*p < 0x80) {
			p++;
			continue;
		}
		if (!(step = utf8_step(p, end)))
			return (size_t)(p - start) + 1;
		p += step;
	}
	return 0;
}

int json_utf8_valid(const char *s, size_t len)
{
	return json_utf8_fault(s, len) == 0;
}

int json_blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return 0;
	return 1;
}

/* One walk over a parsed record for what cJSON lets through: a member
 * name that appears twice in one object (*dup), and a number out of range
 * (*big: the name of the member that holds it).  Records have a handful of
 * members: the quadratic name check compares first bytes first. */
static void check_tree(const cJSON *item, const char *name, const char **dup,
		       const char **big)
{
	/* The type tests of cJSON.h, without a call into the library for
	 * each member of every record. */
	int type = item->type & 0xff, object = type == cJSON_Object;

	if (item->string)
		name = item->string;
	if (type == cJSON_Number && !isfinite(item->valuedouble) && !*big)
		*big = name;
	for (const cJSON *a = item->child; a; a = a->next) {
		if (object && !*dup)
			for (const cJSON *b = a->next; b; b = b->next)
				if (a->string[0] == b->string[0] && !strcmp(a->string, b->string)) {
					*dup = a->string;
					break;
				}
		/* A string, a boolean or null holds nothing to check. */
		if (a->child || (a->type & 0xff) == cJSON_Number)
			check_tree(a, name, dup, big);
	}
}

/* Whether a line that does not parse was cut short: an open string, or
 * more brackets opened than closed, at its end. */
static int cut_short(const char *s, size_t len)
{
	int depth = 0, in_string = 0;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = 0;
		} else if (c == '"') {
			in_string = 1;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			depth--;
		}
	}
	return in_string || depth > 0;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Past the number at s[*i] (a '-' or a digit) when it is in RFC 8259's
 * grammar, -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, and not
 * followed by more of a number ("01", "1.", "1.e5", "-.5" are not). */
static int number_ok(const char *s, size_t len, size_t *i)
{
	size_t j = *i;

	if (s[j] == '-')
		j++;
	if (j < len && s[j] == '0')
		j++;
	else if (j < len && s[j] >= '1' && s[j] <= '9')
		while (j < len && is_digit(s[j]))
			j++;
	else
		return 0;
	if (j < len && s[j] == '.') {
		if (++j >= len || !is_digit(s[j]))
			return 0;
		while (j < len && is_digit(s[j]))
			j++;
	}
	if (j < len && (s[j] == 'e' || s[j] == 'E')) {
		if (++j < len && (s[j] == '+' || s[j] == '-'))
			j++;
		if (j >= len || !is_digit(s[j]))
			return 0;
		while (j < len && is_digit(s[j]))
			j++;
	}
	if (j < len && (is_digit(s[j]) || s[j] == '.' || s[j] == 'e' || s[j] == 'E' ||
			s[j] == '+' || s[j] == '-'))
		return 0;
	*i = j;
	return 1;
}

static int is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* The length of the valid escape at s[j] (a backslash in a string), or
 * 0 with *what saying what is wrong with it. */
static size_t escape_len(const char *s, size_t len, size_t j, const char **what)
{
	if (j + 1 < len && s[j + 1] && strchr("\"\\/bfnrt", s[j + 1]))
		return 2;
	if (j + 1 >= len || s[j + 1] != 'u') {
		*what = "an invalid escape";
		return 0;
	}
	for (size_t k = 2; k < 6; k++)
		if (j + k >= len || !is_hex(s[j + k])) {
			*what = "an invalid \\u escape";
			return 0;
		}
	if (!strncmp(s + j + 2, "0000", 4)) {
		*what = "\\u0000 (a NUL, which would cut the string short)";
		return 0;
	}
	return 6;
}

/* Past the string opening at s[*i]; 0, or the 1-based byte of a raw
 * control character or a bad escape in it (*what says which).  An
 * unterminated string is cJSON's to report. */
static size_t string_fault(const char *s, size_t len, size_t *i, const char **what)
{
	size_t j = *i + 1, step;

	while (j < len && s[j] != '"') {
		unsigned char c = (unsigned char)s[j];

		if (c < 0x20) {
			*what = "a control character in a string (escape it)";
			return j + 1;
		}
		if (c != '\\') {
			j++;
			continue;
		}
		if (!(step = escape_len(s, len, j, what)))
			return j + 1;
		j += step;
	}
	*i = j + 1;
	return 0;
}

/* What cJSON lets through that RFC 8259 does not: a byte order mark,
 * whitespace other than space, tab, LF and CR, raw control characters
 * and bad escapes in strings, and numbers outside the grammar.  The
 * structure is cJSON's to check.  0, or the 1-based byte of the first
 * fault, *what saying what it is. */
static size_t lex_fault(const char *s, size_t len, const char **what)
{
	size_t i = 0, at;

	if (len >= 3 && !memcmp(s, "\xef\xbb\xbf", 3)) {
		*what = "a byte order mark";
		return 1;
	}
	while (i < len) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"') {
			if ((at = string_fault(s, len, &i, what)))
				return at;
		} else if (c == '-' || is_digit((char)c)) {
			at = i + 1;
			if (!number_ok(s, len, &i)) {
				*what = "a number not in JSON's grammar";
				return at;
			}
		} else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
			*what = "a control character outside a string";
			return i + 1;
		} else {
			i++;
		}
	}
	return 0;
}

/* The bytes of w that end a string's run of plain bytes: a quote, a
 * backslash, one below 0x20 or one above 0x7f, as their high bits.  The
 * tests for a zero byte and for a byte below n, (x - 0x01..) & ~x &
 * 0x80.., are exact up to the first such byte (a borrow only runs on
 * from one), so the lowest bit set is the first special byte. */
static uint64_t special_bytes(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
	uint64_t quote = w ^ (ones * '"'), slash = w ^ (ones * '\\');

	return (((quote - ones) & ~quote) | ((slash - ones) & ~slash) |
		((w - ones * 0x20) & ~w) | w) & high;
}

/* Which of the eight bytes read into a word holds the first high bit of
 * m (not 0). */
static size_t first_special(uint64_t m)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return (size_t)__builtin_clzll(m) / 8;
#else
	return (size_t)__builtin_ctzll(m) / 8;
#endif
}

/* Past the string opening at s[*i] when it holds no fault: its plain
 * bytes eight at a time, its other UTF-8 sequences checked. */
static int string_clean(const char *s, size_t len, size_t *i)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t j = *i + 1, step;
	const char *what;

	for (;;) {
		while (len - j >= 8) {
			uint64_t w, m;

			memcpy(&w, s + j, 8);
			if ((m = special_bytes(w))) {
				j += first_special(m);
				break;
			}
			j += 8;
		}
		if (j >= len) {
			*i = len;
			return 1;
		}
		if (u[j] == '"') {
			*i = j + 1;
			return 1;
		}
		if (u[j] < 0x20)
			return 0;
		if (u[j] == '\\')
			step = escape_len(s, len, j, &what);
		else if (u[j] >= 0x80)
			step = utf8_step(u + j, u + len);
		else
			step = 1;
		if (!step)
			return 0;
		j += step;
	}
}

int json_lex_clean(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];

		/* Structure and the letters of true, false and null: the most
		 * of what lies between strings, passed with one test. */
		if (c >= 'a' ? c <= 'z' : c == ':' || c == ',' || c == '{' || c == '}' || c == ' ') {
			i++;
			continue;
		}
		if (c == '"') {
			if (!string_clean(s, len, &i))
				return 0;
		} else if (c == '-' || is_digit((char)c)) {
			if (!number_ok(s, len, &i))
				return 0;
		} else if (c >= 0x80 || (c < 0x20 && c != '\t' && c != '\n' && c != '\r')) {
			return 0;
		} else {
			i++;
		}
	}
	return 1;
}

enum brain_status json_lex_check(const char *line, size_t len, const struct json_loc *loc)
{
	const char *what = NULL, *nul;
	size_t fault;

	if ((fault = json_utf8_fault(line, len)))
		return diag_error_at(BRAIN_DATA, loc->file, loc->line, "invalid UTF-8 at byte %zu",
				     fault);
	/* cJSON would end a string at a raw NUL and keep the rest quiet. */
	if ((nul = memchr(line, '\0', len)))
		return diag_error_at(BRAIN_DATA, loc->file, loc->line,
				     "invalid JSON: NUL byte at byte %zu", (size_t)(nul - line) + 1);
	if ((fault = lex_fault(line, len, &what)))
		return diag_error_at(BRAIN_DATA, loc->file, loc->line, "invalid JSON: %s at byte %zu",
				     what, fault);
	return BRAIN_OK;
}

enum brain_status json_parse_line(const char *line, size_t len,
			      const struct json_loc *loc, cJSON **out)
{
	const char *end = NULL;
	const char *dup;
	enum brain_status status;
	cJSON *obj;

	*out = NULL;
	/* One fast pass over a clean line; the checks one by one otherwise,
	 * so that the first fault in their order is the one named. */
	if (!json_lex_clean(line, len) && (status = json_lex_check(line, len, loc)))
		return status;
	obj = cJSON_ParseWithLengthOpts(line, len, &end, 0);
	if (!obj) {
		size_t at = end && end >= line && end <= line + len ? (size_t)(end - line) : 0;

		if (at >= len || cut_short(line, len))
			return diag_error_at(BRAIN_DATA, loc->file, loc->line,
					     "invalid JSON: unexpected end of line");
		return diag_error_at(BRAIN_DATA, loc->file, loc->line,
				     "invalid JSON at byte %zu", at + 1);
	}
	if (!json_blank(end, len - (size_t)(end - line))) {
		size_t at = (size_t)(end - line);

		while (at < len && strchr(" \t\r\n", line[at]))
			at++;
		cJSON_Delete(obj);
		return diag_error_at(BRAIN_DATA, loc->file, loc->line,
				     "trailing characters after the JSON value at byte %zu", at + 1);
	}
	if (!cJSON_IsObject(obj)) {
		cJSON_Delete(obj);
		return diag_error_at(BRAIN_DATA, loc->file, loc->line,
				     "record is not a JSON object");
	}
	const char *big = NULL;

	dup = NULL;
	check_tree(obj, "", &dup, &big);
	if (dup) {
		diag_error_at(BRAIN_DATA, loc->file, loc->line, "field '%s' appears twice", dup);
		cJSON_Delete(obj);
		return BRAIN_DATA;
	}
	/* 1e999 parses to infinity: out of range for any field. */
	if (big) {
		diag_error_at(BRAIN_DATA, loc->file, loc->line,
			      "field '%s' holds a number out of range", big);
		cJSON_Delete(obj);
		return BRAIN_DATA;
	}
	*out = obj;
	return BRAIN_OK;
}

/* Scratch memory for json_parse_line_scratch: a bump allocator that cJSON
 * uses only while that function parses.  Frees of its blocks are no-ops;
 * everything else goes to malloc and free. */
static struct {
	char *base;
	size_t cap, used;
	int active, overflowed;
} scratch;

static int in_scratch(const void *p)
{
	uintptr_t a = (uintptr_t)p, b = (uintptr_t)scratch.base;

	return scratch.base && a >= b && a < b + scratch.cap;
}

static void *scratch_malloc(size_t n)
{
	if (scratch.active) {
		n = (n + 15) & ~(size_t)15;
		if (n <= scratch.cap - scratch.used) {
			void *p = scratch.base + scratch.used;

			scratch.used += n;
			return p;
		}
		scratch.overflowed = 1;
	}
	return malloc(n);
}

static void scratch_free(void *p)
{
	if (!in_scratch(p))
		free(p);
}

enum brain_status json_parse_line_scratch(const char *line, size_t len,
				      const struct json_loc *loc, cJSON **out)
{
	enum brain_status status;

	if (!scratch.base || (scratch.overflowed && scratch.cap < ((size_t)1 << 24))) {
		/* The record before is dead by contract: the arena may move. */
		size_t cap = scratch.base ? scratch.cap * 4 : (size_t)1 << 16;

		if (!scratch.base) {
			cJSON_Hooks hooks = { scratch_malloc, scratch_free };

			cJSON_InitHooks(&hooks);
		}
		free(scratch.base);
		scratch.base = xmalloc(cap);
		scratch.cap = cap;
	}
	scratch.used = 0;
	scratch.overflowed = 0;
	scratch.active = 1;
	status = json_parse_line(line, len, loc, out);
	scratch.active = 0;
	return status;
}

void json_scratch_drop(cJSON *item)
{
	/* Built wholly in the arena, it has nothing to free: a walk of the
	 * tree for no-op frees is saved on every record. */
	if (item && (scratch.overflowed || !in_scratch(item)))
		cJSON_Delete(item);
}

static enum brain_status field_error(const struct json_loc *loc, const char *name,
				     const char *what)
{
	return diag_error_at(BRAIN_DATA, loc ? loc->file : NULL, loc ? loc->line : 0,
			     "field '%s' must be %s", name, what);
}

/* The member, or NULL; a missing required member is reported. */
static const cJSON *member(const cJSON *obj, const char *name, enum json_need need,
			   const struct json_loc *loc, enum brain_status *status)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);

	*status = BRAIN_OK;
	if (!item && need == JSON_REQUIRED)
		*status = diag_error_at(BRAIN_DATA, loc ? loc->file : NULL,
					loc ? loc->line : 0, "missing field '%s'", name);
	return item;
}

enum brain_status json_item_string(const cJSON *item, const struct json_loc *loc,
				   const char **out)
{
	if (!cJSON_IsString(item))
		return field_error(loc, item->string, "a string");
	*out = item->valuestring;
	return BRAIN_OK;
}

enum brain_status json_item_bool(const cJSON *item, const struct json_loc *loc, int *out)
{
	if (!cJSON_IsBool(item))
		return field_error(loc, item->string, "true or false");
	*out = cJSON_IsTrue(item);
	return BRAIN_OK;
}

enum brain_status json_item_int(const cJSON *item, const struct json_loc *loc,
				int64_t min, int64_t max, int64_t *out)
{
	double v = item->valuedouble;

	if (!cJSON_IsNumber(item) || !isfinite(v) || v != floor(v) || fabs(v) > EXACT_INT_MAX ||
	    v < (double)min || v > (double)max) {
		char what[128];

		if (min == 0 && max == INT64_MAX)
			snprintf(what, sizeof(what), "a non-negative integer");
		else if (min == 1 && max == INT64_MAX)
			snprintf(what, sizeof(what), "a positive integer");
		else
			snprintf(what, sizeof(what), "an integer from %lld to %lld",
				 (long long)min, (long long)max);
		return field_error(loc, item->string, what);
	}
	*out = (int64_t)v;
	return BRAIN_OK;
}

enum brain_status json_item_number(const cJSON *item, const struct json_loc *loc,
				   double min, double max, double *out)
{
	if (!cJSON_IsNumber(item) || !isfinite(item->valuedouble) ||
	    item->valuedouble < min || item->valuedouble > max) {
		char what[128];

		if (isinf(min) && isinf(max))
			snprintf(what, sizeof(what), "a finite number");
		else if (isinf(max))
			snprintf(what, sizeof(what), "a number of at least %.15g", min);
		else
			snprintf(what, sizeof(what), "a number from %.15g to %.15g", min, max);
		return field_error(loc, item->string, what);
	}
	*out = item->valuedouble;
	return BRAIN_OK;
}

enum brain_status json_get_string(const cJSON *obj, const char *name,
				  enum json_need need, const struct json_loc *loc,
				  const char **out)
{
	enum brain_status status;
	const cJSON *item = member(obj, name, need, loc, &status);

	return item ? json_item_string(item, loc, out) : status;
}

enum brain_status json_get_bool(const cJSON *obj, const char *name,
				enum json_need need, const struct json_loc *loc,
				int *out)
{
	enum brain_status status;
	const cJSON *item = member(obj, name, need, loc, &status);

	return item ? json_item_bool(item, loc, out) : status;
}

enum brain_status json_get_int(const cJSON *obj, const char *name,
			       enum json_need need, const struct json_loc *loc,
			       int64_t min, int64_t max, int64_t *out)
{
	enum brain_status status;
	const cJSON *item = member(obj, name, need, loc, &status);

	return item ? json_item_int(item, loc, min, max, out) : status;
}

enum brain_status json_get_number(const cJSON *obj, const char *name,
				  enum json_need need, const struct json_loc *loc,
				  double min, double max, double *out)
{
	enum brain_status status;
	const cJSON *item = member(obj, name, need, loc, &status);

	return item ? json_item_number(item, loc, min, max, out) : status;
}

enum brain_status json_get_object(const cJSON *obj, const char *name,
				  enum json_need need, const struct json_loc *loc,
				  const cJSON **out)
{
	enum brain_status status;
	const cJSON *item = member(obj, name, need, loc, &status);

	if (!item)
		return status;
	if (!cJSON_IsObject(item))
		return field_error(loc, name, "an object");
	*out = item;
	return BRAIN_OK;
}

enum brain_status json_get_array(const cJSON *obj, const char *name,
				 enum json_need need, const struct json_loc *loc,
				 const cJSON **out)
{
	enum brain_status status;
	const cJSON *item = member(obj, name, need, loc, &status);

	if (!item)
		return status;
	if (!cJSON_IsArray(item))
		return field_error(loc, name, "an array");
	*out = item;
	return BRAIN_OK;
}

/* The search, with the name of the nearest enclosing member. */
static const cJSON *find_nonfinite(const cJSON *item, const char *name, const char **path)
{
	if (item->string)
		name = item->string;
	if (cJSON_IsNumber(item) && !isfinite(item->valuedouble)) {
		*path = name;
		return item;
	}
	for (const cJSON *c = item->child; c; c = c->next) {
		const cJSON *bad = find_nonfinite(c, name, path);

		if (bad)
			return bad;
	}
	return NULL;
}

const cJSON *json_find_nonfinite(const cJSON *item, const char **path)
{
	return find_nonfinite(item, "", path);
}

/* The shortest of %.15g and %.17g that reads back as d exactly (cJSON's
 * own test allows an error of one part in 2^52, and takes DBL_MAX for
 * infinity). */
static void exact_number(double d, char out[32])
{
	/* No JSON for these: writers refuse them first (json_find_nonfinite);
	 * null, as cJSON writes, keeps the text JSON. */
	if (!isfinite(d)) {
		snprintf(out, 32, "null");
		return;
	}
	/* A whole number below 1e15 is what %.15g prints: its digits (and
	 * reads back the same), without the trip through printf and strtod. */
	if (d == floor(d) && fabs(d) < 1e15 && !(d == 0 && signbit(d))) {
		long long v = (long long)d;
		unsigned long long u = v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v;
		char digits[24];
		size_t n = 0, i = 0;

		do
			digits[n++] = (char)('0' + u % 10);
		while ((u /= 10) != 0);
		if (v < 0)
			out[i++] = '-';
		while (n)
			out[i++] = digits[--n];
		out[i] = '\0';
		return;
	}
	snprintf(out, 32, "%.15g", d);
	if (strtod(out, NULL) != d)
		snprintf(out, 32, "%.17g", d);
}

void json_number_text(double d, char out[32])
{
	exact_number(d, out);
}

/* Number nodes of item made raw text (swap 1) and back (swap 0). */
static void swap_numbers(cJSON *item, char (*texts)[32], size_t *n, int swap)
{
	for (cJSON *c = item; c; c = c->next) {
		int type = c->type & 0xff, flags = c->type & ~0xff;

		if (type == cJSON_Number && swap) {
			exact_number(c->valuedouble, texts[*n]);
			c->type = flags | cJSON_Raw;
			c->valuestring = texts[(*n)++];
		} else if (type == cJSON_Raw && !swap && c->valuestring == texts[*n]) {
			c->type = flags | cJSON_Number;
			c->valuestring = NULL;
			(*n)++;
		}
		if (c->child)
			swap_numbers(c->child, texts, n, swap);
	}
}

static size_t count_numbers(const cJSON *item)
{
	size_t n = 0;

	for (const cJSON *c = item; c; c = c->next)
		n += ((c->type & 0xff) == cJSON_Number) + (c->child ? count_numbers(c->child) : 0);
	return n;
}

static char *print_exact(const cJSON *item, int formatted)
{
	/* cJSON prints the raw text of a node as it is: for the time of the
	 * print, each number is its exact text.  The tree is as it was after. */
	cJSON *tree = (cJSON *)item;
	cJSON *next = tree->next;
	size_t n = count_numbers(tree->child) + ((tree->type & 0xff) == cJSON_Number), done = 0;
	char (*texts)[32] = xcalloc(n ? n : 1, sizeof(*texts));
	char *text;

	tree->next = NULL;
	swap_numbers(tree, texts, &done, 1);
	text = formatted ? cJSON_Print(tree) : cJSON_PrintUnformatted(tree);
	done = 0;
	swap_numbers(tree, texts, &done, 0);
	tree->next = next;
	free(texts);
	if (!text)
		diag_oom();
	return text;
}

char *json_print_compact(const cJSON *item)
{
	return print_exact(item, 0);
}

char *json_print_indented(const cJSON *item)
{
	return print_exact(item, 1);
}

char *json_format_line(const cJSON *obj, size_t *len)
{
	const char *path = "";
	char *text;
	size_t n;

	if (json_find_nonfinite(obj, &path)) {
		diag_error(BRAIN_IO, "internal error: non-finite number in field '%s'", path);
		return NULL;
	}
	text = json_print_compact(obj);
	n = strlen(text);
	text = xrealloc(text, n + 2);
	text[n] = '\n';
	text[n + 1] = '\0';
	if (len)
		*len = n + 1;
	return text;
}

int json_equal_exact(const cJSON *a, const cJSON *b)
{
	if ((a->type & 0xff) != (b->type & 0xff))
		return 0;
	if (cJSON_IsNumber(a))
		return memcmp(&a->valuedouble, &b->valuedouble, sizeof(double)) == 0;
	if (cJSON_IsString(a) || cJSON_IsRaw(a))
		return strcmp(a->valuestring, b->valuestring) == 0;
	for (a = a->child, b = b->child; a && b; a = a->next, b = b->next)
		if ((a->string && (!b->string || strcmp(a->string, b->string))) ||
		    !json_equal_exact(a, b))
			return 0;
	return !a && !b;
}

int json_depth(const cJSON *item)
{
	int deepest = 0;

	for (const cJSON *c = item->child; c; c = c->next) {
		int d = json_depth(c);

		if (d > deepest)
			deepest = d;
	}
	return (cJSON_IsObject(item) || cJSON_IsArray(item)) ? deepest + 1 : 0;
}

const char *json_string(const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

const char *json_string_or_empty(const cJSON *obj, const char *name)
{
	const char *s = json_string(obj, name);

	return s ? s : "";
}
