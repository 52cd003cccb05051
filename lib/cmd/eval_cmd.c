/* eval_cmd.c - brain-eval's commands; see eval_cmd.h. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/audit.h"
#include "core/clock.h"
#include "core/change.h"
#include "cmd/command.h"
#include "diag.h"
#include "cmd/eval_cmd.h"
#include "core/file.h"
#include "pure/ident.h"
#include "core/jsonl.h"
#include "core/rejects.h"
#include "cmd/render.h"
#include "cmd/table.h"
#include "banned.h"

struct outcome {
	char metric[129];
	double score;
	char ts[TIME_TEXT_SIZE];
	char *label;             /* owned, or NULL */
};

static cJSON *outcome_json(const struct outcome *o)
{
	cJSON *j = cJSON_CreateObject();

	cJSON_AddStringToObject(j, "ts", o->ts);
	cJSON_AddStringToObject(j, "metric", o->metric);
	cJSON_AddNumberToObject(j, "score", o->score);
	if (o->label)
		cJSON_AddStringToObject(j, "label", o->label);
	return j;
}

/* Check and fill one outcome; BRAIN_DATA (reported at loc) when bad. */
static enum brain_status make_outcome(const char *metric, double score, const char *ts_text,
				      const char *label, time_t now,
				      const struct json_loc *loc, struct outcome *o)
{
	time_t t = now;

	memset(o, 0, sizeof(*o));
	if (!eval_metric_valid(metric))
		return diag_error_at(BRAIN_DATA, loc ? loc->file : NULL, loc ? loc->line : 0,
				     "invalid metric '%s': 1 to 128 of a-z 0-9 . _ : -", metric);
	if (!isfinite(score))
		return diag_error_at(BRAIN_DATA, loc ? loc->file : NULL, loc ? loc->line : 0,
				     "score must be a finite number");
	if (ts_text && time_text_parse(ts_text, &t))
		return diag_error_at(BRAIN_DATA, loc ? loc->file : NULL, loc ? loc->line : 0,
				     "'%s' is not an RFC 3339 time", ts_text);
	if (label && (ident_check_name_quiet(label) != 0))
		return diag_error_at(BRAIN_DATA, loc ? loc->file : NULL, loc ? loc->line : 0,
				     "label must be 1 to 256 bytes of UTF-8 without control characters");
	snprintf(o->metric, sizeof(o->metric), "%s", metric);
	o->score = score;
	time_text_format(t, o->ts);
	o->label = label ? xstrdup(label) : NULL;
	return BRAIN_OK;
}

/* Append the outcomes: audit records first (durable), then the log. */
static enum brain_status store(const struct cli *cli, struct state *st, struct outcome *o,
			       size_t n)
{
	struct audit_event *ev = xcalloc(n ? n : 1, sizeof(*ev));
	struct audit_ack *acks = xcalloc(n ? n : 1, sizeof(*acks));
	cJSON **details = xcalloc(n ? n : 1, sizeof(*details));
	char *text = NULL;
	size_t len = 0, cap = 0;
	enum brain_status status;
	int evfd = -1, fd = -1;

	for (size_t i = 0; i < n; i++) {
		char *line;
		size_t l;

		details[i] = outcome_json(&o[i]);
		ev[i] = (struct audit_event){ o[i].metric, "eval.record", "SUCCESS", details[i],
					      cli->reason, NULL };
		line = json_format_line(details[i], &l);
		if (len + l > cap) {
			cap = (len + l) * 2;
			text = xrealloc(text, cap);
		}
		memcpy(text + len, line, l);
		len += l;
		free(line);
	}
	if ((status = state_subdir(st, "eval", 1, &evfd)) ||
	    (status = file_append_open(evfd, EVAL_LOG, &fd)))
		goto out;
	if (file_ends_with_newline(fd, &(off_t){ 0 }) == 0) {
		status = diag_error(BRAIN_STATE, "eval/" EVAL_LOG " ends in a torn line from a "
				    "crash; run 'brain-verify --repair'");
		goto out;
	}
	{
		struct change c;

		change_init(&c, st);
		change_append(&c, "eval/" EVAL_LOG, fd, text, len);
		status = change_commit(&c, NULL, ev, n, acks);
	}
out:
	if (fd >= 0)
		close(fd);
	if (evfd >= 0)
		close(evfd);
	for (size_t i = 0; i < n; i++)
		cJSON_Delete(details[i]);
	free(details);
	free(ev);
	free(acks);
	free(text);
	return status;
}

/* The text forms (cmd/text_form.h) of record and watch --verbose. */
static const struct text_form outcome_form = {
	NULL,
	(const struct text_field[]){ { "time", "ts" }, { "metric", "metric" },
				     { "score", "score" }, { "label", "label" }, { NULL, NULL } },
	1, NULL
};

static const struct text_form point_form = {
	NULL,
	(const struct text_field[]){ { "point", "index" }, { "time", "ts" },
				     { "score", "score" }, { "statistic", "statistic" },
				     { "over threshold", "alarm" }, { NULL, NULL } },
	1, NULL
};

static enum brain_status print_outcomes(const struct outcome *o, size_t n)
{
	enum brain_status status = BRAIN_OK;

	render_form(&outcome_form);
	for (size_t i = 0; i < n && !status; i++) {
		cJSON *j = outcome_json(&o[i]);

		status = jsonl_write(stdout, j);
		cJSON_Delete(j);
	}
	return status;
}

enum brain_status eval_cmd_record(const struct cli *cli, struct eval_args *a, const char *score)
{
	struct outcome o;
	struct state st;
	enum brain_status status;
	char *end;
	double v;
	time_t now;

	errno = 0;
	v = strtod(score, &end);
	if (end == score || *end)
		return diag_error(BRAIN_DATA, "score must be a number, not '%s'", score);
	/* Beyond a double either way (1e999, 1e-400) would be kept as another
	 * number than the one given: refuse it rather than round it. */
	if (errno == ERANGE || !isfinite(v))
		return diag_error(BRAIN_DATA, "score '%s' is out of range of a double", score);
	if ((status = clock_now(&now)) ||
	    (status = make_outcome(a->metric, v, a->at, a->label, now, NULL, &o)))
		return status;
	if (!cli->dry_run) {
		if ((status = command_open_state(cli, &st)) == BRAIN_OK) {
			status = store(cli, &st, &o, 1);
			state_close(&st);
		}
	}
	if (!status)
		status = print_outcomes(&o, 1);
	free(o.label);
	return status;
}

/*
 * An operand of record that is not shaped as a score is a file, but only if
 * there is one: 'record abc' or 'record O.85' is a mistake, not a file to
 * look for.  A missing name strtod would read (inf, nan, 0x10) is a score
 * this command does not take; anything else missing fits neither form.
 */
static enum brain_status check_record_file(const struct cli *cli, const char *path)
{
	char *end;

	if (!path || !strcmp(path, "-") || access(path, F_OK) == 0 ||
	    (errno != ENOENT && errno != ENOTDIR))
		return BRAIN_OK;
	(void)strtod(path, &end);
	if (end != path && !*end)
		return diag_error(BRAIN_DATA, "score must be a finite decimal number, not '%s'",
				  path);
	return cli_usage_error(cli, "record: '%s' is neither a score nor a file", path);
}

/* CSV input: the score is a number, every other column text. */
static enum csv_type csv_column(const char *column)
{
	return !strcmp(column, "score") ? CSV_NUMBER : CSV_STRING;
}

enum brain_status eval_cmd_record_stream(const struct cli *cli, struct eval_args *a,
					 const char *path)
{
	struct jsonl_reader r;
	struct outcome *o = NULL;
	struct rejects rj;
	struct state st;
	size_t n = 0, cap = 0;
	enum brain_status status, bad = BRAIN_OK;
	time_t now;
	int rc, opened = 0;
	cJSON *rec;

	if ((status = check_record_file(cli, path)) ||
	    (status = clock_now(&now)) || (status = jsonl_open(&r, path, 0)))
		return status;
	jsonl_csv(&r, cli->input, csv_column);
	if (!cli->dry_run) {
		if ((status = command_open_state(cli, &st)))
			goto out;
		opened = 1;
		rejects_init(&rj, &st);
	}
	while ((rc = jsonl_next(&r, &rec)) != JSONL_EOF) {
		struct json_loc loc = jsonl_where(&r);
		const char *metric = a->metric, *label = NULL, *ts = NULL;
		double score = 0;

		if (rc == BRAIN_OK &&
		    !(rc = json_get_string(rec, "metric", JSON_OPTIONAL, &loc, &metric)) &&
		    !(rc = json_get_number(rec, "score", JSON_REQUIRED, &loc, -INFINITY, INFINITY,
					   &score)) &&
		    !(rc = json_get_string(rec, "label", JSON_OPTIONAL, &loc, &label)) &&
		    !(rc = json_get_string(rec, "ts", JSON_OPTIONAL, &loc, &ts))) {
			if (n == cap) {
				cap = cap ? 2 * cap : 64;
				o = xrealloc(o, cap * sizeof(*o));
			}
			rc = make_outcome(metric, score, ts, label, now, &loc, &o[n]);
			if (!rc)
				n++;
		}
		cJSON_Delete(rec);
		if (rc == BRAIN_IO) {
			status = BRAIN_IO;
			goto out;
		}
		if (rc && (status = rejects_refuse(cli->skip_invalid, opened ? &rj : NULL, &r, &bad)))
			goto out;
	}
	if (opened && n)
		status = store(cli, &st, o, n);
	if (opened) {
		rejects_close(&rj);
		state_close(&st);
		opened = 0;
	}
	if (!status)
		status = print_outcomes(o, n);
out:
	if (opened) {
		rejects_close(&rj);
		state_close(&st);
	}
	for (size_t i = 0; i < n; i++)
		free(o[i].label);
	free(o);
	jsonl_close(&r);
	return status ? status : bad;
}

/* Options from config.json, then the command line over them. */
static enum brain_status load_options(int dirfd, struct eval_args *a)
{
	struct eval_options given = a->opts;
	enum brain_status status = eval_options_load(dirfd, &a->opts);

	if (status)
		return status;
	if (a->given & EVAL_GIVEN_ALPHA)
		a->opts.alpha = given.alpha;
	if (a->given & EVAL_GIVEN_METHOD)
		a->opts.cusum = given.cusum;
	if (a->given & EVAL_GIVEN_BASELINE)
		a->opts.baseline = given.baseline;
	if (a->given & EVAL_GIVEN_K)
		a->opts.k = given.k;
	if (a->given & EVAL_GIVEN_H)
		a->opts.h = given.h;
	if (a->given & EVAL_GIVEN_LAMBDA)
		a->opts.lambda = given.lambda;
	if (a->given & EVAL_GIVEN_DELTA)
		a->opts.delta = given.delta;
	return BRAIN_OK;
}

/* The metrics shown when the one asked for has no outcomes: enough to spot
 * a misspelt name; 'brain-eval list' has them all. */
#define NO_OUTCOMES_SHOWN 10

/* Refuse a metric with no outcomes, naming the metrics there are, so that
 * a misspelt --metric (or a forgotten one: the default is outcome) shows
 * what to type instead. */
static enum brain_status no_outcomes(int dirfd, const char *metric)
{
	char **names, list[NO_OUTCOMES_SHOWN * 132 + 64] = "none yet";
	size_t *counts, n, len = 0;
	enum brain_status status = eval_metrics(dirfd, &names, &counts, &n);

	for (size_t i = 0; i < n && i < NO_OUTCOMES_SHOWN; i++)
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "",
					names[i]);
	if (n > NO_OUTCOMES_SHOWN)
		snprintf(list + len, sizeof(list) - len, " and %zu more (see 'brain-eval list')",
			 n - NO_OUTCOMES_SHOWN);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(counts);
	if (status)
		return status;
	return diag_error(BRAIN_DATA, "no outcomes recorded for metric '%s'; metrics recorded: %s",
			  metric, list);
}

static enum brain_status load(const struct cli *cli, struct eval_args *a,
			      struct eval_series *s)
{
	struct state st;
	enum brain_status status;

	if (!eval_metric_valid(a->metric))
		return diag_error(BRAIN_USAGE, "invalid metric '%s'", a->metric);
	if ((status = state_open(&st, cli->state_dir, STATE_READ)))
		return status;
	status = load_options(st.dirfd, a);
	if (!status)
		status = eval_series_load(st.dirfd, a->metric, a->window, s);
	if (!status && s->n == 0) {
		eval_series_free(s);
		status = no_outcomes(st.dirfd, a->metric);
	}
	state_close(&st);
	return status;
}

enum brain_status eval_cmd_trend(const struct cli *cli, struct eval_args *a)
{
	struct eval_series s;
	struct eval_trend t;
	enum brain_status status = load(cli, a, &s);
	double *stat;
	cJSON *line;

	if (status)
		return status;
	stat = xcalloc(s.n, sizeof(*stat));
	eval_trend(&s, &a->opts, &t, stat);
	render_form(&point_form);
	line = eval_trend_line(a->metric, &t);
	if (cli->format == CLI_FORMAT_TEXT) {
		char spark[200];

		char change[48] = "", test[96] = "";

		table_sparkline(s.score, s.n, spark, sizeof(spark));
		if (t.has_improvement_rate)
			snprintf(change, sizeof(change), " (%+.1f %%)", 100 * t.improvement_rate);
		/* The label is the trend test's, over every point, not the
		 * endpoints': its slope and p-value say so beside it. */
		if (t.has_sen_slope && t.has_mk)
			snprintf(test, sizeof(test), "  Sen slope %+.4g/day, Mann-Kendall p=%.3g",
				 t.sen_slope, t.p_value);
		else if (t.has_mk)
			snprintf(test, sizeof(test), "  Mann-Kendall p=%.3g", t.p_value);
		/* "(significant)" qualifies a direction; a flat label has none. */
		printf("%s  %s  n=%zu  %g -> %g%s  %s%s%s%s\n", a->metric, spark, t.n, t.first, t.last,
		       change, t.trend,
		       t.significant && strcmp(t.trend, "flat") ? " (significant)" : "", test,
		       t.regression ? "  REGRESSION" : "");
	} else {
		status = jsonl_write(stdout, line);
	}
	cJSON_Delete(line);
	free(stat);
	eval_series_free(&s);
	return status;
}

/* The alarm as people read it: since which point (and when), and the
 * statistic against its threshold. */
static void print_watch_text(const char *metric, const struct eval_series *s,
			     const struct eval_trend *t)
{
	char ts[TIME_TEXT_SIZE];

	if (!t->regression) {
		printf("%s: %s no regression (statistic %.4g, threshold %.4g, %zu points)\n",
		       metric, t->detector, t->statistic, t->threshold, t->n);
		return;
	}
	ts[0] = '\0';
	if (t->change_index >= 1 && (size_t)t->change_index <= s->n)
		time_text_format(s->ts[t->change_index - 1], ts);
	printf("%s: %s ALARM: regression since point %ld%s%s%s (statistic %.4g over threshold "
	       "%.4g, %zu points)\n", metric, t->detector, t->change_index, ts[0] ? " (" : "", ts,
	       ts[0] ? ")" : "", t->statistic, t->threshold, t->n);
}

enum brain_status eval_cmd_watch(const struct cli *cli, struct eval_args *a)
{
	struct eval_series s;
	struct eval_trend t;
	enum brain_status status = load(cli, a, &s);
	double *stat;
	char ts[TIME_TEXT_SIZE];
	cJSON *o;

	if (status)
		return status;
	stat = xcalloc(s.n, sizeof(*stat));
	eval_trend(&s, &a->opts, &t, stat);
	render_form(&point_form);
	for (size_t i = 0; a->verbose && i < s.n && !status; i++) {
		o = cJSON_CreateObject();
		time_text_format(s.ts[i], ts);
		cJSON_AddNumberToObject(o, "index", (double)(i + 1));
		cJSON_AddStringToObject(o, "ts", ts);
		cJSON_AddNumberToObject(o, "score", s.score[i]);
		cJSON_AddNumberToObject(o, "statistic", stat[i]);
		cJSON_AddBoolToObject(o, "alarm", stat[i] > t.threshold);
		status = jsonl_write(stdout, o);
		cJSON_Delete(o);
	}
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "metric", a->metric);
	cJSON_AddStringToObject(o, "detector", t.detector);
	cJSON_AddNumberToObject(o, "n", (double)t.n);
	cJSON_AddBoolToObject(o, "regression_detected", t.regression);
	if (t.regression)
		cJSON_AddNumberToObject(o, "change_index", (double)t.change_index);
	cJSON_AddNumberToObject(o, "statistic", t.statistic);
	cJSON_AddNumberToObject(o, "threshold", t.threshold);
	if (!status && cli->format == CLI_FORMAT_TEXT)
		print_watch_text(a->metric, &s, &t);
	else if (!status)
		status = jsonl_write(stdout, o);
	cJSON_Delete(o);
	free(stat);
	eval_series_free(&s);
	if (status)
		return status;
	return t.regression ? BRAIN_NO : BRAIN_OK;
}

enum brain_status eval_cmd_list(const struct cli *cli)
{
	struct state st;
	enum brain_status status;
	char **names;
	size_t *counts, n;
	struct table *t = NULL;

	if ((status = state_open(&st, cli->state_dir, STATE_READ)))
		return status;
	status = eval_metrics(st.dirfd, &names, &counts, &n);
	if (cli->format == CLI_FORMAT_TEXT)
		t = table_new(3, (const char *[]){ "METRIC", "N", "SERIES" });
	for (size_t i = 0; i < n && !status; i++) {
		struct eval_series s;

		if ((status = eval_series_load(st.dirfd, names[i], 0, &s)))
			break;
		if (t) {
			char num[32], spark[200];

			snprintf(num, sizeof(num), "%zu", counts[i]);
			table_sparkline(s.score, s.n, spark, sizeof(spark));
			table_add(t, (const char *[]){ names[i], num, spark });
		} else {
			cJSON *o = cJSON_CreateObject();

			cJSON_AddStringToObject(o, "metric", names[i]);
			cJSON_AddNumberToObject(o, "n", (double)counts[i]);
			cJSON_AddNumberToObject(o, "last", s.score[s.n - 1]);
			status = jsonl_write(stdout, o);
			cJSON_Delete(o);
		}
		eval_series_free(&s);
	}
	if (t && !status)
		table_print(t, stdout);
	table_free(t);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(counts);
	state_close(&st);
	return status;
}

