/* ident.c - ids and display names; see ident.h. */
#include <string.h>

#include "diag.h"
#include "pure/ident.h"
#include "pure/json.h"
#include "banned.h"

#define NAME_MAX_BYTES 256

static int id_first(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static int id_rest(int c)
{
	return id_first(c) || c == '.' || c == '_' || c == '-';
}

/* Why id is not valid, or NULL when it is. */
static const char *id_problem(const char *id)
{
	size_t n = strlen(id);

	if (n == 0)
		return "it is empty";
	if (n > IDENT_MAX)
		return "it is longer than 64 characters";
	if (!id_first((unsigned char)id[0]))
		return "it must start with a lowercase letter or a digit";
	for (size_t i = 1; i < n; i++)
		if (!id_rest((unsigned char)id[i]))
			return "only a-z, 0-9, '.', '_' and '-' are allowed";
	return NULL;
}

int ident_valid(const char *id)
{
	return id && !id_problem(id);
}

/* Print id safely in a message: control characters as '?'. */
static void printable_copy(const char *in, char *out, size_t size)
{
	size_t i;

	for (i = 0; in[i] && i + 1 < size; i++)
		out[i] = ((unsigned char)in[i] < 0x20 || in[i] == 0x7f) ? '?' : in[i];
	out[i] = '\0';
}

enum brain_status ident_check(const char *id, const char *what)
{
	const char *problem;
	char shown[80];

	if (!id)
		return diag_error(BRAIN_DATA, "missing %s", what);
	problem = id_problem(id);
	if (!problem)
		return BRAIN_OK;
	printable_copy(id, shown, sizeof(shown));
	return diag_error(BRAIN_DATA, "invalid %s '%s%s': %s", what, shown,
			  strlen(id) >= sizeof(shown) ? "..." : "", problem);
}

static int trim_char(char c)
{
	return c == '-' || c == '.' || c == '_';
}

enum brain_status ident_slug(const char *name, char out[IDENT_MAX + 1])
{
	size_t n = 0;
	int pending_dash = 0;

	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		int c = *p;

		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (id_rest(c) && c != '-') {
			if (pending_dash && n > 0 && n < IDENT_MAX)
				out[n++] = '-';
			pending_dash = 0;
			if (n < IDENT_MAX)
				out[n++] = (char)c;
		} else {
			pending_dash = 1;
		}
	}
	while (n > 0 && trim_char(out[n - 1]))
		n--;
	out[n] = '\0';
	/* Leading '.' and '_' can survive the loop above ("_x"): drop them. */
	size_t skip = 0;

	while (skip < n && trim_char(out[skip]))
		skip++;
	memmove(out, out + skip, n - skip + 1);
	if (!out[0])
		return diag_error(BRAIN_DATA, "cannot make an id from the name '%s': "
				  "it has no letters or digits", name);
	return BRAIN_OK;
}

enum brain_status ident_check_name(const char *name, const char *what)
{
	size_t n;

	if (!name)
		return diag_error(BRAIN_DATA, "missing %s", what);
	n = strlen(name);
	if (n == 0)
		return diag_error(BRAIN_DATA, "invalid %s: it is empty", what);
	if (n > NAME_MAX_BYTES)
		return diag_error(BRAIN_DATA, "invalid %s: longer than %d bytes", what,
				  NAME_MAX_BYTES);
	if (!json_utf8_valid(name, n))
		return diag_error(BRAIN_DATA, "invalid %s: not valid UTF-8", what);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return diag_error(BRAIN_DATA, "invalid %s: it holds a control character",
					  what);
	return BRAIN_OK;
}

int ident_check_name_quiet(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > NAME_MAX_BYTES || !json_utf8_valid(name, n))
		return -1;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return -1;
	return 0;
}

enum brain_status ident_from_name(const char *name, const char *what, char id[IDENT_MAX + 1])
{
	enum brain_status status = ident_check_name(name, what);

	if (status)
		return status;
	if (ident_valid(name)) {
		memcpy(id, name, strlen(name) + 1);
		return BRAIN_OK;
	}
	return ident_slug(name, id);
}
