/* eval_store.c - the outcome log of brain-eval; see eval_store.h. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/config.h"
#include "diag.h"
#include "core/eval_store.h"
#include "core/jsonl.h"
#include "banned.h"

static void push(struct eval_series *s, double score, time_t ts, const char *label)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->score = xrealloc(s->score, s->cap * sizeof(*s->score));
		s->ts = xrealloc(s->ts, s->cap * sizeof(*s->ts));
		s->label = xrealloc(s->label, s->cap * sizeof(*s->label));
	}
	s->score[s->n] = score;
	s->ts[s->n] = ts;
	s->label[s->n] = label ? xstrdup(label) : NULL;
	s->n++;
}

int eval_outcome_read(const cJSON *line, struct eval_outcome *o)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(line, "metric");
	const cJSON *sc = cJSON_GetObjectItemCaseSensitive(line, "score");
	const cJSON *ts = cJSON_GetObjectItemCaseSensitive(line, "ts");
	const cJSON *label = cJSON_GetObjectItemCaseSensitive(line, "label");

	if (!cJSON_IsString(m) || !cJSON_IsNumber(sc) || !isfinite(sc->valuedouble) ||
	    !cJSON_IsString(ts) || time_text_parse(ts->valuestring, &o->ts))
		return -1;
	o->metric = m->valuestring;
	o->score = sc->valuedouble;
	o->label = cJSON_IsString(label) ? label->valuestring : NULL;
	return 0;
}

/* Call fn for every valid line of the log; a line that does not parse is
 * corruption (BRAIN_STATE). */
static enum brain_status each_outcome(int dirfd,
				      void (*fn)(void *arg, const char *metric, double score,
						 time_t ts, const char *label),
				      void *arg)
{
	struct jsonl_reader r;
	enum brain_status status = BRAIN_OK;
	int evfd, fd, rc;
	cJSON *line;

	if (dirfd < 0)
		return BRAIN_OK;
	evfd = openat(dirfd, "eval", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (evfd < 0)
		return errno == ENOENT ? BRAIN_OK : diag_errno(BRAIN_STATE, errno, "cannot open eval/");
	fd = openat(evfd, EVAL_LOG, O_RDONLY | O_CLOEXEC);
	close(evfd);
	if (fd < 0)
		return errno == ENOENT ? BRAIN_OK
				       : diag_errno(BRAIN_STATE, errno, "cannot open eval/" EVAL_LOG);
	jsonl_open_fd(&r, fd, "eval/" EVAL_LOG, 0);
	while ((rc = jsonl_next(&r, &line)) != JSONL_EOF) {
		struct eval_outcome o;

		if (rc != BRAIN_IO && !r.cur_has_lf) {
			/* A torn last line was never acknowledged: not an outcome
			 * (brain-verify reports it). */
			cJSON_Delete(line);
			break;
		}
		if (rc || eval_outcome_read(line, &o)) {
			cJSON_Delete(line);
			status = diag_error(BRAIN_STATE, "eval/" EVAL_LOG ":%ld: corrupt outcome "
					    "(%s): run brain-verify, which names each such line",
					    r.line, rc ? diag_last() : "a member missing or of the "
					    "wrong type");
			break;
		}
		fn(arg, o.metric, o.score, o.ts, o.label);
		cJSON_Delete(line);
	}
	jsonl_close(&r);
	close(fd);
	return status;
}

static void collect(void *arg, const char *metric, double score, time_t ts, const char *label)
{
	struct eval_series *s = arg;

	if (!strcmp(metric, s->metric))
		push(s, score, ts, label);
}

enum brain_status eval_series_load(int dirfd, const char *metric, size_t window,
				   struct eval_series *s)
{
	enum brain_status status;

	memset(s, 0, sizeof(*s));
	s->metric = xstrdup(metric);
	if ((status = each_outcome(dirfd, collect, s))) {
		/* Nothing is left to the caller on failure. */
		eval_series_free(s);
		return status;
	}
	/* In time order before the window, so the window is the newest N by
	 * time even when a day was backfilled. */
	eval_series_sort(s);
	if (window && s->n > window) {
		size_t drop = s->n - window;

		for (size_t i = 0; i < drop; i++)
			free(s->label[i]);
		memmove(s->score, s->score + drop, window * sizeof(*s->score));
		memmove(s->ts, s->ts + drop, window * sizeof(*s->ts));
		memmove(s->label, s->label + drop, window * sizeof(*s->label));
		s->n = window;
	}
	return BRAIN_OK;
}

enum brain_status eval_options_load(int dirfd, struct eval_options *o)
{
	struct config *cfg;
	enum brain_status status = config_load(dirfd, &cfg);

	if (status)
		return status;
	o->alpha = config_number(cfg, "eval.alpha");
	o->cusum = !strcmp(config_string(cfg, "eval.method"), "cusum");
	o->baseline = NAN;
	o->k = config_number(cfg, "eval.cusum_k");
	o->h = config_number(cfg, "eval.cusum_h");
	o->delta = config_number(cfg, "eval.delta");
	o->lambda = config_number(cfg, "eval.lambda");
	config_free(cfg);
	return BRAIN_OK;
}

struct metric_count {
	char **names;
	size_t *counts;
	size_t n;
};

static void count(void *arg, const char *metric, double score, time_t ts, const char *label)
{
	struct metric_count *m = arg;

	(void)score;
	(void)ts;
	(void)label;
	for (size_t i = 0; i < m->n; i++)
		if (!strcmp(m->names[i], metric)) {
			m->counts[i]++;
			return;
		}
	m->names = xrealloc(m->names, (m->n + 1) * sizeof(*m->names));
	m->counts = xrealloc(m->counts, (m->n + 1) * sizeof(*m->counts));
	m->names[m->n] = xstrdup(metric);
	m->counts[m->n++] = 1;
}

enum brain_status eval_metrics(int dirfd, char ***names, size_t **counts, size_t *n)
{
	struct metric_count m = { NULL, NULL, 0 };
	enum brain_status status = each_outcome(dirfd, count, &m);

	/* Sorted by name, counts alongside. */
	for (size_t i = 1; i < m.n; i++)
		for (size_t j = i; j > 0 && strcmp(m.names[j - 1], m.names[j]) > 0; j--) {
			char *tn = m.names[j];
			size_t tc = m.counts[j];

			m.names[j] = m.names[j - 1];
			m.counts[j] = m.counts[j - 1];
			m.names[j - 1] = tn;
			m.counts[j - 1] = tc;
		}
	*names = m.names;
	*counts = m.counts;
	*n = m.n;
	return status;
}

enum brain_status eval_regression_state(int dirfd, const char *metric, int *regression,
					size_t *n, const char **detector, long *change_index)
{
	struct eval_options o;
	struct eval_series s;
	struct eval_trend t;
	enum brain_status status;

	*regression = 0;
	*n = 0;
	*detector = NULL;
	*change_index = 0;
	if ((status = eval_options_load(dirfd, &o)) ||
	    (status = eval_series_load(dirfd, metric, 0, &s)))
		return status;
	if (!eval_trend(&s, &o, &t, NULL)) {
		*regression = t.regression;
		*n = t.n;
		*detector = t.detector;
		*change_index = t.change_index;
	}
	eval_series_free(&s);
	return BRAIN_OK;
}
