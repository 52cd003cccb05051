/* eval.c - the trend and regression of an outcome series; see eval.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_statistics_double.h>

#include "diag.h"
#include "pure/eval.h"
#include "pure/trend.h"
#include "banned.h"

int eval_metric_valid(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > 128)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == ':' || c == '-'))
			return 0;
	}
	return 1;
}

void eval_series_free(struct eval_series *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->label[i]);
	free(s->label);
	free(s->score);
	free(s->ts);
	free(s->metric);
	memset(s, 0, sizeof(*s));
}

/* A point's place in time: its time, then its place in the log. */
struct when {
	time_t ts;      /* the recorded time */
	size_t at;      /* the index before sorting, so equal times keep order */
};

static int cmp_when(const void *a, const void *b)
{
	const struct when *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return (x->at > y->at) - (x->at < y->at);
}

void eval_series_sort(struct eval_series *s)
{
	struct when *w;
	double *score;
	char **label;

	if (s->n < 2)
		return;
	w = xmalloc(s->n * sizeof(*w));
	for (size_t i = 0; i < s->n; i++)
		w[i] = (struct when){ s->ts[i], i };
	/* qsort is not stable; the index as the last key makes the order
	 * total, so the result is. */
	qsort(w, s->n, sizeof(*w), cmp_when);
	score = xmalloc(s->cap * sizeof(*score));
	label = s->label ? xmalloc(s->cap * sizeof(*label)) : NULL;
	for (size_t i = 0; i < s->n; i++) {
		score[i] = s->score[w[i].at];
		if (label)
			label[i] = s->label[w[i].at];
		s->ts[i] = w[i].ts;
	}
	free(s->score);
	s->score = score;
	free(s->label);
	s->label = label;
	free(w);
}

static int sign(double v)
{
	return (v > 0) - (v < 0);
}

/* The label rule of eval.h: a direction only where the test and every
 * figure beside it agree. */
static const char *trend_label(const struct eval_trend *t, double alpha)
{
	int s = t->has_mk ? sign(t->mk_s) : 0;
	int agree = s != 0 && (!t->has_sen_slope || sign(t->sen_slope) == s) &&
		    sign(t->last - t->first) == s;

	if (!agree)
		return "flat";
	if (t->significant || trend_mann_kendall_min_p(t->n) >= alpha)
		return s > 0 ? "improving" : "declining";
	return "flat";
}

/* First, last, improvement rate, Sen's slope and Mann-Kendall. */
static void trend_figures(const struct eval_series *s, double alpha, struct eval_trend *t)
{
	struct trend_mk mk;
	double *days;

	t->n = s->n;
	t->first = s->score[0];
	t->last = s->score[s->n - 1];
	if (t->first != 0) {
		t->improvement_rate = (t->last - t->first) / fabs(t->first);
		t->has_improvement_rate = 1;
	}
	days = xmalloc(s->n * sizeof(*days));
	for (size_t i = 0; i < s->n; i++)
		days[i] = difftime(s->ts[i], s->ts[0]) / 86400;
	t->has_sen_slope = !trend_sen_slope(days, s->score, s->n, &t->sen_slope);
	free(days);
	if (!trend_mann_kendall(s->score, s->n, &mk)) {
		t->has_mk = 1;
		t->mk_s = mk.s;
		t->mk_z = mk.z;
		t->p_value = mk.p;
		t->significant = mk.p < alpha;
	}
	t->trend = trend_label(t, alpha);
}

/* Run the configured detector; its defaults scale with the spread of the
 * first half, so they mean the same for a rate and a score. */
static void trend_detect(const struct eval_series *s, const struct eval_options *o,
			 struct eval_trend *t, double *stats_out)
{
	size_t half = s->n / 2 ? s->n / 2 : 1;
	double sd = half > 1 ? gsl_stats_sd(s->score, 1, half) : 0;
	/* A constant first half has no spread: any drop from it alarms. */
	double no_spread = 1e-9;
	long alarm;

	if (o->cusum) {
		double mu0 = o->baseline, k = o->k, h = o->h;

		if (isnan(mu0))
			mu0 = gsl_stats_mean(s->score, 1, half);
		if (!(k > 0))
			k = 0.5 * sd;
		if (!(h > 0))
			h = sd > 0 ? 5 * sd : no_spread;
		alarm = trend_cusum(s->score, s->n, mu0, k, h, NULL, stats_out);
		t->detector = "cusum";
		t->threshold = h;
	} else {
		double delta = o->delta, lambda = o->lambda;

		if (!(delta > 0))
			delta = 0.5 * sd;
		if (!(lambda > 0))
			lambda = sd > 0 ? EVAL_PH_LAMBDA_SD * sd : no_spread;
		alarm = trend_page_hinkley(s->score, s->n, delta, lambda, 1, stats_out);
		t->detector = "page-hinkley";
		t->threshold = lambda;
	}
	t->regression = alarm >= 0;
	t->change_index = alarm + 1;
	if (stats_out)
		t->statistic = stats_out[s->n - 1];
}

int eval_trend(const struct eval_series *s, const struct eval_options *o,
	       struct eval_trend *t, double *stats_out)
{
	memset(t, 0, sizeof(*t));
	if (s->n == 0)
		return -1;
	trend_figures(s, o->alpha, t);
	trend_detect(s, o, t, stats_out);
	return 0;
}

cJSON *eval_trend_line(const char *metric, const struct eval_trend *t)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "metric", metric);
	cJSON_AddNumberToObject(o, "n", (double)t->n);
	cJSON_AddNumberToObject(o, "first", t->first);
	cJSON_AddNumberToObject(o, "last", t->last);
	cJSON_AddStringToObject(o, "trend", t->trend);
	if (t->has_improvement_rate)
		cJSON_AddNumberToObject(o, "improvement_rate", t->improvement_rate);
	if (t->has_sen_slope)
		cJSON_AddNumberToObject(o, "sen_slope", t->sen_slope);
	if (t->has_mk) {
		cJSON_AddNumberToObject(o, "mann_kendall_s", t->mk_s);
		cJSON_AddNumberToObject(o, "mann_kendall_z", t->mk_z);
		cJSON_AddNumberToObject(o, "p_value", t->p_value);
	}
	cJSON_AddBoolToObject(o, "significant", t->significant);
	cJSON_AddBoolToObject(o, "regression_detected", t->regression);
	cJSON_AddStringToObject(o, "detector", t->detector);
	if (t->regression)
		cJSON_AddNumberToObject(o, "change_index", (double)t->change_index);
	return o;
}
