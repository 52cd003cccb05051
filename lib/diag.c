/* diag.c - diagnostics on stderr; see diag.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "banned.h"

static const char *program_name = "brain";
static char last_message[2048];
static char last_where[3072];
static FILE *diag_stream;
static int quiet_flag;

static const char *const status_names[] = {
	[BRAIN_OK] = "ok",       [BRAIN_NO] = "no",       [BRAIN_USAGE] = "usage",
	[BRAIN_DATA] = "data",   [BRAIN_STATE] = "state", [BRAIN_BUSY] = "busy",
	[BRAIN_IO] = "io",
};

const char *brain_status_name(enum brain_status status)
{
	if ((unsigned)status < sizeof(status_names) / sizeof(status_names[0]))
		return status_names[status];
	return "unknown";
}

void diag_init(const char *argv0)
{
	const char *slash;

	if (!argv0 || !*argv0)
		return;
	slash = strrchr(argv0, '/');
	program_name = slash ? slash + 1 : argv0;
}

const char *diag_program(void)
{
	return program_name;
}

const char *diag_last(void)
{
	return last_message;
}

const char *diag_last_where(void)
{
	return last_where;
}

FILE *diag_set_stream(FILE *stream)
{
	FILE *was = diag_stream;

	diag_stream = stream;
	return was;
}

void diag_set_quiet(int quiet)
{
	quiet_flag = quiet;
}

int diag_quiet(void)
{
	return quiet_flag;
}

static FILE *out(void)
{
	return diag_stream ? diag_stream : stderr;
}

/* One fprintf sequence per line; stderr is unbuffered, so the line is
 * assembled first to reach the terminal or log in one piece. */
static void emit(const char *prefix, const char *file, long line,
		 const char *suffix, const char *fmt, va_list ap)
	__attribute__((format(printf, 5, 0)));

static void emit(const char *prefix, const char *file, long line,
		 const char *suffix, const char *fmt, va_list ap)
{
	char msg[2048];
	char where[1024] = "";

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (file && line > 0)
		snprintf(where, sizeof(where), "%s:%ld: ", file, line);
	else if (file)
		snprintf(where, sizeof(where), "%s: ", file);
	snprintf(last_message, sizeof(last_message), "%s%s", msg, suffix ? suffix : "");
	snprintf(last_where, sizeof(last_where), "%s%s", where, last_message);
	fprintf(out(), "%s: %s%s%s\n", program_name, prefix, where, last_message);
	fflush(out());
}

enum brain_status diag_error(enum brain_status status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit("", NULL, 0, NULL, fmt, ap);
	va_end(ap);
	return status;
}

enum brain_status diag_error_at(enum brain_status status, const char *file,
				long line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit("", file, line, NULL, fmt, ap);
	va_end(ap);
	return status;
}

enum brain_status diag_errno(enum brain_status status, int errnum,
			     const char *fmt, ...)
{
	va_list ap;
	char suffix[256];

	snprintf(suffix, sizeof(suffix), ": %s", strerror(errnum));
	va_start(ap, fmt);
	emit("", NULL, 0, suffix, fmt, ap);
	va_end(ap);
	errno = errnum; /* for a caller that classes the error again */
	return diag_errno_status(status, errnum);
}

enum brain_status diag_errno_status(enum brain_status status, int errnum)
{
	/* The system ran out of something or failed: not the state's fault
	 * nor the input's, and the same command may work on a retry. */
	switch (errnum) {
	case EMFILE: case ENFILE: case ENOMEM: case ENOSPC: case EDQUOT: case EIO:
		return status == BRAIN_OK ? BRAIN_OK : BRAIN_IO;
	default:
		return status;
	}
}

void diag_warn(const char *fmt, ...)
{
	va_list ap;

	if (quiet_flag)
		return;
	va_start(ap, fmt);
	emit("warning: ", NULL, 0, NULL, fmt, ap);
	va_end(ap);
}

_Noreturn void diag_oom(void)
{
	fprintf(out(), "%s: out of memory\n", program_name);
	exit(BRAIN_IO);
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		diag_oom();
	return p;
}

void *xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);

	if (!p)
		diag_oom();
	return p;
}

void *xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);

	if (!p)
		diag_oom();
	return p;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		diag_oom();
	return p;
}
