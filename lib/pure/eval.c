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

int eval_trend(const struct eval_series *s, const struct eval_options *o,
	       struct eval_trend *t, double *stats_out)
{
	struct trend_mk mk;
	double *days, direction;
	long alarm;

	memset(t, 0, sizeof(*t));
	if (s->n == 0)
		return -1;
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
		t->significant = mk.p < o->alpha;
	}
	/* The direction is Sen's slope over real time; with all points at one
	 * instant there is none, and the change from first to last decides. */
	direction = t->has_sen_slope ? t->sen_slope : t->last - t->first;
	t->trend = direction > 0 ? "improving" : direction < 0 ? "declining" : "flat";
	if (o->cusum) {
		double mu0 = o->baseline, k = o->k, h = o->h;
		size_t half = s->n / 2 ? s->n / 2 : 1;
		double sd = half > 1 ? gsl_stats_sd(s->score, 1, half) : 0;

		if (isnan(mu0))
			mu0 = gsl_stats_mean(s->score, 1, half);
		if (!(k > 0))
			k = 0.5 * sd;
		if (!(h > 0))
			h = sd > 0 ? 5 * sd : 1e-9;
		alarm = trend_cusum(s->score, s->n, mu0, k, h, NULL, stats_out);
		t->detector = "cusum";
		t->threshold = h;
	} else {
		alarm = trend_page_hinkley(s->score, s->n, o->delta, o->lambda, 1, stats_out);
		t->detector = "page-hinkley";
		t->threshold = o->lambda;
	}
	t->regression = alarm >= 0;
	t->change_index = alarm + 1;
	if (stats_out)
		t->statistic = stats_out[s->n - 1];
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
