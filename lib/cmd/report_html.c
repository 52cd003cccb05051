/* report_html.c - the state directory on one HTML page; see report_html.h. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cmd/ab_cmd.h"
#include "cmd/report_html.h"
#include "cmd/packet_render.h"
#include "cmd/status_cmd.h"
#include "core/ab_store.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/eval_store.h"
#include "core/file.h"
#include "core/model_store.h"
#include "core/script_store.h"
#include "core/state.h"
#include "diag.h"
#include "pure/ab.h"
#include "pure/ab_fold.h"
#include "pure/eval.h"
#include "pure/json.h"
#include "pure/time_text.h"
#include "banned.h"

struct page {
	const struct cli *cli;
	FILE *fp;                 /* the page being written */
	struct state *st;         /* the state, opened for reading */
	cJSON *items;             /* brain status's records, in its order; owned */
	cJSON *gates;             /* the gate.decision audit records that verified; owned */
	cJSON *scripts;           /* the promote.* audit records that verified; owned */
	enum brain_status failed; /* the first section that could not be read, or BRAIN_OK */
};

/* --- text -------------------------------------------------------------- */

/* The one way text from the state reaches the page: the five characters
 * that mean something in HTML are escaped, so that it stays text in an
 * element and in a quoted attribute alike, in HTML and in SVG. */
static void esc(FILE *fp, const char *s)
{
	html_text(s ? s : "", fp);
}

/* open, then s escaped, then close: markup around text from the state. */
static void put(FILE *fp, const char *open, const char *s, const char *close)
{
	fputs(open, fp);
	esc(fp, s);
	fputs(close, fp);
}

/* How a number is printed: as the --format=text tables print it. */
enum number_form {
	NUMBER_COUNT,   /* 6000 */
	NUMBER_RATE,    /* 0.1400 (rates, p-values) */
	NUMBER_SIGNED,  /* +0.0600 (lifts) */
	NUMBER_MONEY,   /* 12.50 (value per lead) */
	NUMBER_PROB,    /* 0.999 (P(best)) */
	NUMBER_PLAIN    /* %g, or a whole number as one */
};

static const char *number_text(double v, enum number_form form, char *buf, size_t size)
{
	switch (form) {
	case NUMBER_COUNT: snprintf(buf, size, "%.0f", v); break;
	case NUMBER_RATE: snprintf(buf, size, "%.4f", v); break;
	case NUMBER_SIGNED: snprintf(buf, size, "%+.4f", v); break;
	case NUMBER_MONEY: snprintf(buf, size, "%.2f", v); break;
	case NUMBER_PROB: snprintf(buf, size, "%.3f", v); break;
	case NUMBER_PLAIN:
		if (v == floor(v) && fabs(v) < 1e15)
			snprintf(buf, size, "%.0f", v);
		else
			snprintf(buf, size, "%g", v);
		break;
	}
	return buf;
}

/* Member name of o as a number, or NAN when it has none. */
static double number_or_nan(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

/* A table cell of member name of o, or a dash when it has none. */
static void td_number(FILE *fp, const cJSON *o, const char *name, enum number_form form)
{
	double v = number_or_nan(o, name);
	char buf[64];

	put(fp, "<td class=\"n\">", isnan(v) ? "\xe2\x80\x93" : number_text(v, form, buf, sizeof(buf)),
	    "</td>");
}

/* A cell "[low, high]" of two members of o, or a dash. */
static void td_interval(FILE *fp, const cJSON *o, const char *low, const char *high,
			enum number_form form)
{
	double lo = number_or_nan(o, low), hi = number_or_nan(o, high);
	char a[64], b[64], cell[136];

	if (isnan(lo) || isnan(hi))
		snprintf(cell, sizeof(cell), "\xe2\x80\x93");
	else
		snprintf(cell, sizeof(cell), "[%s, %s]", number_text(lo, form, a, sizeof(a)),
			 number_text(hi, form, b, sizeof(b)));
	put(fp, "<td class=\"n interval\">", cell, "</td>");
}

/* Any JSON value as text: strings as they are, numbers as the status
 * tables print them, arrays as a list, null as a dash. */
static void json_text(FILE *fp, const cJSON *v)
{
	char buf[64];
	const cJSON *e;
	int first = 1;

	if (cJSON_IsString(v)) {
		esc(fp, v->valuestring);
	} else if (cJSON_IsNumber(v)) {
		esc(fp, number_text(v->valuedouble, NUMBER_PLAIN, buf, sizeof(buf)));
	} else if (cJSON_IsBool(v)) {
		fputs(cJSON_IsTrue(v) ? "yes" : "no", fp);
	} else if (cJSON_IsArray(v) && v->child) {
		cJSON_ArrayForEach(e, v) {
			fputs(first ? "" : ", ", fp);
			json_text(fp, e);
			first = 0;
		}
	} else if (cJSON_IsObject(v)) {
		char *text = json_print_compact(v);

		esc(fp, text);
		free(text);
	} else {
		fputs("\xe2\x80\x93", fp);
	}
}

/* A paragraph saying that a section has nothing in it. */
static void empty(FILE *fp, const char *what)
{
	put(fp, "<p class=\"empty\">", what, "</p>\n");
}

/* A section, or a part of one, whose files could not be read: said on
 * the page, the reason already on stderr, and the first such status kept
 * for the exit. */
static void unreadable(struct page *p, const char *what, enum brain_status status)
{
	put(p->fp, "<p class=\"attention\">", what, " could not be read (");
	put(p->fp, "", brain_status_name(status), "): the message on standard error says "
	    "why.</p>\n");
	if (!p->failed)
		p->failed = status;
}

/* --- charts ------------------------------------------------------------ */

/* Series colours (the classes s0.. stroke, f0.. fill, b0.. background);
 * red is kept for the alarm marks. */
static const char *const palette[] = {
	"#1f5fa8", "#e07b00", "#2a8f3a", "#7b4fa6", "#8c564b", "#c2458e", "#12909e", "#8a8a1e"
};
#define NPALETTE (sizeof(palette) / sizeof(palette[0]))

/* One line of a chart: points in x order; y, low and high NAN where the
 * point has none. */
struct series {
	const char *name;         /* shown in the legend; borrowed */
	size_t colour;            /* index into palette */
	double *x, *y, *low, *high;
	unsigned char *mark;      /* a red mark at the point */
	size_t n, cap;
};

static void series_push(struct series *s, double x, double y, double low, double high,
			int mark)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->x = xrealloc(s->x, s->cap * sizeof(double));
		s->y = xrealloc(s->y, s->cap * sizeof(double));
		s->low = xrealloc(s->low, s->cap * sizeof(double));
		s->high = xrealloc(s->high, s->cap * sizeof(double));
		s->mark = xrealloc(s->mark, s->cap);
	}
	s->x[s->n] = x;
	s->y[s->n] = y;
	s->low[s->n] = low;
	s->high[s->n] = high;
	s->mark[s->n++] = (unsigned char)mark;
}

static void series_clear(struct series *s)
{
	free(s->x);
	free(s->y);
	free(s->low);
	free(s->high);
	free(s->mark);
}

/* n series and the array that holds them. */
static void series_free(struct series *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		series_clear(&s[i]);
	free(s);
}

struct chart {
	const char *kind;         /* its class: rate, lift or eval */
	const char *label;        /* what it shows, for aria-label */
	const char *x_title, *y_title;  /* the axes' titles, with their units */
	int x_days;               /* x is a time: ticks on days, labelled YYYY-MM-DD */
	int zero;                 /* the y range holds 0 (drawn as a line when inside) */
	const struct series *s;
	size_t ns;
	const char *mark_legend;  /* what a red mark means, or NULL */
};

/* One axis: its range, tick step and the decimals of its labels. */
struct axis {
	double lo, hi, step;
	int decimals;
	double from, to;          /* its pixels: lo maps to from, hi to to */
};

#define CHART_W 640
#define CHART_H 230
#define PLOT_L 70
#define PLOT_R 628
#define PLOT_T 12
#define PLOT_B 178
#define DAY 86400.0

static double axis_px(const struct axis *a, double v)
{
	return a->from + (v - a->lo) / (a->hi - a->lo) * (a->to - a->from);
}

/* 1, 2 or 5 times a power of ten, the first at or above raw. */
static double nice_step(double raw)
{
	double p = pow(10, floor(log10(raw))), m = raw / p;

	return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/* The ranges of the points of c; 0 when no point has a y. */
static int chart_range(const struct chart *c, struct axis *x, struct axis *y)
{
	int any = 0;

	x->lo = y->lo = INFINITY;
	x->hi = y->hi = -INFINITY;
	for (size_t i = 0; i < c->ns; i++) {
		const struct series *s = &c->s[i];

		for (size_t j = 0; j < s->n; j++) {
			double v[3] = { s->y[j], s->low[j], s->high[j] };

			if (isnan(s->y[j]))
				continue;
			any = 1;
			x->lo = fmin(x->lo, s->x[j]);
			x->hi = fmax(x->hi, s->x[j]);
			for (int k = 0; k < 3; k++) {
				if (!isnan(v[k])) {
					y->lo = fmin(y->lo, v[k]);
					y->hi = fmax(y->hi, v[k]);
				}
			}
		}
	}
	return any;
}

/* Round the axes out to whole ticks: about four on y; on x whole days
 * (or whole points), at most about seven labels. */
static void chart_scale(const struct chart *c, struct axis *x, struct axis *y)
{
	double unit = c->x_days ? DAY : 1;

	if (c->zero) {
		y->lo = fmin(y->lo, 0);
		y->hi = fmax(y->hi, 0);
	}
	if (y->hi - y->lo <= 0) {
		double pad = y->lo != 0 ? fabs(y->lo) * 0.1 : 1;

		y->lo -= pad;
		y->hi += pad;
	}
	y->step = nice_step((y->hi - y->lo) / 4);
	y->lo = floor(y->lo / y->step) * y->step;
	y->hi = ceil(y->hi / y->step) * y->step;
	y->decimals = y->step >= 1 ? 0 : (int)fmin(12, ceil(-log10(y->step) - 1e-9));
	if (x->hi - x->lo <= 0) {
		x->lo -= unit / 2;
		x->hi += unit / 2;
	}
	x->step = fmax(1, nice_step((x->hi - x->lo) / unit / 6)) * unit;
	x->step = ceil(x->step / unit) * unit;
	x->decimals = 0;
	x->from = PLOT_L;
	x->to = PLOT_R;
	y->from = PLOT_B;
	y->to = PLOT_T;
}

/* The grid, the ticks and their labels, and the axes' titles. */
static void chart_axes(FILE *fp, const struct chart *c, const struct axis *x,
		       const struct axis *y)
{
	char label[64];

	fprintf(fp, "<rect class=\"frame\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>\n",
		PLOT_L, PLOT_T, PLOT_R - PLOT_L, PLOT_B - PLOT_T);
	for (double v = y->lo; v <= y->hi + y->step / 2; v += y->step) {
		double at = axis_px(y, v), shown = fabs(v) < y->step * 1e-6 ? 0 : v;

		fprintf(fp, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>",
			PLOT_L, at, PLOT_R, at);
		snprintf(label, sizeof(label), "%.*f", y->decimals, shown);
		fprintf(fp, "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">", PLOT_L - 5,
			at + 3);
		put(fp, "", label, "</text>\n");
	}
	for (double v = ceil(x->lo / x->step) * x->step; v <= x->hi; v += x->step) {
		double at = axis_px(x, v);

		if (c->x_days) {
			time_text_format((time_t)v, label);
			label[10] = '\0';
		} else {
			snprintf(label, sizeof(label), "%.0f", v);
		}
		fprintf(fp, "<line class=\"tickmark\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>", at,
			PLOT_B, at, PLOT_B + 4);
		fprintf(fp, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", at,
			PLOT_B + 15);
		put(fp, "", label, "</text>\n");
	}
	if (c->zero && y->lo < 0 && y->hi > 0)
		fprintf(fp, "<line class=\"zero\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>\n",
			PLOT_L, axis_px(y, 0), PLOT_R, axis_px(y, 0));
	fprintf(fp, "<text class=\"title\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">",
		(PLOT_L + PLOT_R) / 2, CHART_H - 16);
	put(fp, "", c->x_title, "</text>\n");
	fprintf(fp, "<text class=\"title\" transform=\"translate(14,%d) rotate(-90)\" "
		"text-anchor=\"middle\">", (PLOT_T + PLOT_B) / 2);
	put(fp, "", c->y_title, "</text>\n");
}

/* The runs of consecutive points that have low and high, as shaded
 * polygons: low forward, high back. */
static void chart_band(FILE *fp, const struct series *s, const struct axis *x,
		       const struct axis *y)
{
	for (size_t i = 0; i < s->n; i++) {
		size_t end = i;

		while (end < s->n && !isnan(s->low[end]) && !isnan(s->high[end]))
			end++;
		if (end == i)
			continue;
		if (end == i + 1) {
			/* One day alone: its interval as a bar. */
			double top = axis_px(y, s->high[i]);

			fprintf(fp, "<rect class=\"band f%zu\" x=\"%.1f\" y=\"%.1f\" width=\"8\" "
				"height=\"%.1f\"/>\n", s->colour, axis_px(x, s->x[i]) - 4, top,
				axis_px(y, s->low[i]) - top);
			continue;
		}
		fprintf(fp, "<polygon class=\"band f%zu\" points=\"", s->colour);
		for (size_t j = i; j < end; j++)
			fprintf(fp, "%.1f,%.1f ", axis_px(x, s->x[j]), axis_px(y, s->low[j]));
		for (size_t j = end; j-- > i;)
			fprintf(fp, "%.1f,%.1f ", axis_px(x, s->x[j]), axis_px(y, s->high[j]));
		fputs("\"/>\n", fp);
		i = end;
	}
}

/* The line through the points that have a y (a polyline per run), a dot
 * per point while there are few, and the red marks. */
static void chart_line(FILE *fp, const struct series *s, const struct axis *x,
		       const struct axis *y)
{
	for (size_t i = 0; i < s->n; i++) {
		size_t end = i;

		while (end < s->n && !isnan(s->y[end]))
			end++;
		if (end == i)
			continue;
		fprintf(fp, "<polyline class=\"line s%zu\" points=\"", s->colour);
		for (size_t j = i; j < end; j++)
			fprintf(fp, "%.1f,%.1f ", axis_px(x, s->x[j]), axis_px(y, s->y[j]));
		fputs("\"/>\n", fp);
		i = end;
	}
	for (size_t j = 0; j < s->n; j++) {
		if (isnan(s->y[j]))
			continue;
		if (s->mark[j])
			fprintf(fp, "<circle class=\"alarm\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\"/>\n",
				axis_px(x, s->x[j]), axis_px(y, s->y[j]));
		else if (s->n <= 60)
			fprintf(fp, "<circle class=\"dot f%zu\" cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\"/>\n",
				s->colour, axis_px(x, s->x[j]), axis_px(y, s->y[j]));
	}
}

/* The legend, in HTML below the chart, where long names wrap. */
static void chart_legend(FILE *fp, const struct chart *c)
{
	fputs("<ul class=\"legend\">", fp);
	for (size_t i = 0; i < c->ns; i++)
		if (c->s[i].n) {
			fprintf(fp, "<li><span class=\"swatch b%zu\"></span>", c->s[i].colour);
			put(fp, "", c->s[i].name, "</li>");
		}
	if (c->mark_legend)
		put(fp, "<li><span class=\"swatch alarm\"></span>", c->mark_legend, "</li>");
	fputs("</ul>\n", fp);
}

/* An inline SVG chart of c with its caption (escaped), or a paragraph
 * saying there is nothing to draw. */
static void chart(FILE *fp, const struct chart *c, const char *caption)
{
	struct axis x, y;

	if (!chart_range(c, &x, &y)) {
		put(fp, "<p class=\"empty\">", caption, ": no points yet.</p>\n");
		return;
	}
	chart_scale(c, &x, &y);
	put(fp, "<figure class=\"chart\">\n<figcaption>", caption, "</figcaption>\n");
	fprintf(fp, "<svg class=\"chart %s\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"",
		c->kind, CHART_W, CHART_H);
	put(fp, "", c->label, "\">\n");
	chart_axes(fp, c, &x, &y);
	for (size_t i = 0; i < c->ns; i++)
		chart_band(fp, &c->s[i], &x, &y);
	for (size_t i = 0; i < c->ns; i++)
		chart_line(fp, &c->s[i], &x, &y);
	fputs("</svg>\n", fp);
	chart_legend(fp, c);
	fputs("</figure>\n", fp);
}

/* --- the page ---------------------------------------------------------- */

static const char style[] =
	"@page { size: A4; margin: 14mm 12mm; }\n"
	"* { -webkit-print-color-adjust: exact; print-color-adjust: exact; }\n"
	"body { font: 10pt/1.4 system-ui, sans-serif; color: #1d1d1d; max-width: 186mm;"
	" margin: 1em auto; padding: 0 4mm; }\n"
	"h1 { font-size: 17pt; margin: 0 0 2pt; }\n"
	"h2 { font-size: 13pt; border-bottom: 1.5pt solid #1f5fa8; margin: 18pt 0 6pt;"
	" break-after: avoid; page-break-after: avoid; }\n"
	"h3 { font-size: 11pt; margin: 12pt 0 4pt; break-after: avoid; page-break-after: avoid; }\n"
	"p { margin: 3pt 0; }\n"
	".meta, .empty, .note { color: #555; }\n"
	".empty { font-style: italic; }\n"
	".attention { color: #a40e0e; font-weight: 600; }\n"
	"table { border-collapse: collapse; margin: 4pt 0 8pt; font-size: 8.5pt; }\n"
	"th, td { text-align: left; vertical-align: top; padding: 1.5pt 4pt;"
	" border-bottom: 0.5pt solid #d0d0d0; }\n"
	"th { border-bottom: 1pt solid #888; font-weight: 600; }\n"
	"td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }\n"
	"td.interval { white-space: normal; min-width: 9em; }\n"
	"td.mark { color: #a40e0e; font-weight: 700; }\n"
	"tr { break-inside: avoid; page-break-inside: avoid; }\n"
	"tr.attention td { background: #fbe4e4; }\n"
	"tr.why td { color: #444; border-bottom-color: #bbb; }\n"
	"tr.current td { font-weight: 600; }\n"
	"ul.evidence { margin: 0; padding-left: 12pt; }\n"
	"figure.chart { margin: 6pt 0 10pt; break-inside: avoid; page-break-inside: avoid; }\n"
	"figcaption { font-weight: 600; margin-bottom: 2pt; }\n"
	"svg.chart { width: 100%; height: auto; display: block; }\n"
	"svg text { font: 10px system-ui, sans-serif; fill: #333; }\n"
	"svg text.title { font-size: 11px; fill: #111; }\n"
	".frame { fill: none; stroke: #888; stroke-width: 0.8; }\n"
	".grid { stroke: #e2e2e2; stroke-width: 0.8; }\n"
	".tickmark { stroke: #888; }\n"
	".zero { stroke: #222; stroke-width: 1; stroke-dasharray: 4 3; }\n"
	".line { fill: none; stroke-width: 1.8; }\n"
	".band { fill-opacity: 0.18; stroke: none; }\n"
	"circle.alarm { fill: #d11a1a; stroke: #fff; stroke-width: 0.8; }\n"
	"ul.legend { list-style: none; margin: 2pt 0 0; padding: 0; font-size: 8.5pt; }\n"
	"ul.legend li { display: inline-block; margin-right: 12pt; }\n"
	".swatch { display: inline-block; width: 9pt; height: 9pt; margin-right: 3pt;"
	" vertical-align: -1pt; }\n"
	".swatch.alarm { background: #d11a1a; border-radius: 50%; }\n";

static void page_begin(struct page *p, const char *now)
{
	FILE *fp = p->fp;

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n", fp);
	put(fp, "<title>brain report, ", now, "</title>\n<style>\n");
	fputs(style, fp);
	for (size_t i = 0; i < NPALETTE; i++)
		fprintf(fp, ".s%zu { stroke: %s; } .f%zu { fill: %s; } .b%zu { background: %s; }\n",
			i, palette[i], i, palette[i], i, palette[i]);
	fputs("</style>\n</head>\n<body>\n<h1>brain report</h1>\n", fp);
	put(fp, "<p class=\"meta\">State directory <code>", p->st->path, "</code>, as of ");
	put(fp, "", now, ".  Rates are fractions of trials, shown to four decimals as the "
	    "programs' text tables show them; every figure comes from the state their JSON "
	    "lines give.</p>\n");
}

/* --- overview: brain status ---------------------------------------------- */

static const char *const overview_titles[][2] = {
	{ "experiment", "Experiments" }, { "scripts", "Scripts" }, { "eval", "Evaluation" },
	{ "model", "Models" }, { "clone", "Clones" }, { "ingest", "Ingestion" },
	{ "audit", "Audit trail" },
};

#define MAX_COLUMNS 16

/* Members shown in a row of their own under the item: sentences. */
static int long_member(const char *name)
{
	return !strcmp(name, "reason") || !strcmp(name, "detail");
}

/* The columns of the items from first up to (not with) end: every member
 * any of them has, in the order they come, but the section, attention
 * and the long ones. */
static size_t overview_columns(const cJSON *first, const cJSON *end, const char **cols)
{
	size_t n = 0;

	for (const cJSON *it = first; it != end; it = it->next) {
		const cJSON *m;

		cJSON_ArrayForEach(m, it) {
			size_t k;

			if (!strcmp(m->string, "section") || !strcmp(m->string, "attention") ||
			    long_member(m->string))
				continue;
			for (k = 0; k < n && strcmp(cols[k], m->string); k++)
				;
			if (k == n && n < MAX_COLUMNS)
				cols[n++] = m->string;
		}
	}
	return n;
}

static void overview_row(FILE *fp, const cJSON *it, const char **cols, size_t ncols)
{
	int attention = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(it, "attention"));
	const cJSON *m;

	fprintf(fp, "<tr%s><td class=\"mark\">%s</td>", attention ? " class=\"attention\"" : "",
		attention ? "!" : "");
	for (size_t k = 0; k < ncols; k++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(it, cols[k]);

		fputs(cJSON_IsNumber(v) ? "<td class=\"n\">" : "<td>", fp);
		json_text(fp, v);
		fputs("</td>", fp);
	}
	fputs("</tr>\n", fp);
	cJSON_ArrayForEach(m, it)
		if (long_member(m->string) && cJSON_IsString(m)) {
			fprintf(fp, "<tr class=\"why\"><td></td><td colspan=\"%zu\">", ncols);
			put(fp, "", m->valuestring, "</td></tr>\n");
		}
}

/* The items of one section, from first up to end. */
static void overview_group(FILE *fp, const char *name, const cJSON *first, const cJSON *end)
{
	const char *title = name, *cols[MAX_COLUMNS];
	size_t ncols;

	for (size_t i = 0; i < sizeof(overview_titles) / sizeof(overview_titles[0]); i++)
		if (!strcmp(overview_titles[i][0], name))
			title = overview_titles[i][1];
	put(fp, "<h3>", title, "</h3>\n");
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(first, "empty"))) {
		empty(fp, "None yet.");
		return;
	}
	/* The record of a section that could not be read has nothing else
	 * (an audit item that fails verification has an error too). */
	if (cJSON_HasObjectItem(first, "error") && cJSON_GetArraySize(first) == 3) {
		put(fp, "<p class=\"attention\">! Could not be read (",
		    json_string_or_empty(first, "error"),
		    "): the message on standard error says why.</p>\n");
		return;
	}
	ncols = overview_columns(first, end, cols);
	fputs("<table>\n<tr><th></th>", fp);
	for (size_t k = 0; k < ncols; k++) {
		char head[64];

		snprintf(head, sizeof(head), "%s", cols[k]);
		for (char *c = head; *c; c++)
			*c = *c == '_' ? ' ' : *c;
		put(fp, "<th>", head, "</th>");
	}
	fputs("</tr>\n", fp);
	for (const cJSON *it = first; it != end; it = it->next)
		overview_row(fp, it, cols, ncols);
	fputs("</table>\n", fp);
}

static void section_overview(struct page *p)
{
	const cJSON *it = p->items->child;

	fputs("<section id=\"overview\">\n<h2>Overview</h2>\n", p->fp);
	while (it) {
		const char *name = json_string_or_empty(it, "section");
		const cJSON *end = it->next;

		if (!strcmp(name, "summary")) {
			double n = number_or_nan(it, "attention");
			char buf[32];

			if (n > 0)
				put(p->fp, "<p class=\"attention\">! ",
				    number_text(n, NUMBER_COUNT, buf, sizeof(buf)),
				    n == 1 ? " item needs attention (marked !).</p>\n"
					   : " items need attention (marked !).</p>\n");
			else
				fputs("<p>Nothing needs attention.</p>\n", p->fp);
			it = end;
			continue;
		}
		while (end && !strcmp(json_string_or_empty(end, "section"), name))
			end = end->next;
		overview_group(p->fp, name, it, end);
		it = end;
	}
	fputs("</section>\n", p->fp);
}

/* The status item of section with member key equal to value (and key2
 * to value2 when key2 is not NULL), or NULL. */
static const cJSON *status_item(const struct page *p, const char *section, const char *key,
				const char *value, const char *key2, const char *value2)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, p->items)
		if (!strcmp(json_string_or_empty(it, "section"), section) &&
		    !strcmp(json_string_or_empty(it, key), value) &&
		    (!key2 || !strcmp(json_string_or_empty(it, key2), value2)))
			return it;
	return NULL;
}

/* --- experiments ------------------------------------------------------- */

/* brain-ab report's lines of one kind, as it makes them without options:
 * the same arms, analysis and lines (pure/ab.h). */
static cJSON *report_lines(const struct ab_set *s, const struct ab_args *a, const char *kind)
{
	struct ab_window w = ab_cmd_window(a);
	size_t n;
	struct ab_arm *arms = ab_cmd_arms(s, kind, &w, &n);
	struct ab_result *res = xcalloc(n ? n : 1, sizeof(*res));
	cJSON *out = cJSON_CreateArray();

	ab_analyze(arms, n, &a->stat, res);
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(out, ab_report_line(s->experiment, &arms[i], &res[i]));
	free(res);
	free(arms);
	return out;
}

/* The decision of the kind, from its status item. */
static void kind_decision(FILE *fp, const cJSON *item)
{
	const cJSON *leader = cJSON_GetObjectItemCaseSensitive(item, "leader");
	const cJSON *more = cJSON_GetObjectItemCaseSensitive(item, "more_trials_per_arm");
	const cJSON *record = cJSON_GetObjectItemCaseSensitive(item, "winner_on_record");
	int attention = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(item, "attention"));

	if (!item)
		return;
	put(fp, attention ? "<p class=\"attention\">! Decision: <strong>" : "<p>Decision: <strong>",
	    json_string_or_empty(item, "decision"), "</strong>");
	if (cJSON_IsString(leader))
		put(fp, ", leader ", leader->valuestring, "");
	if (cJSON_IsNumber(more)) {
		fputs(", about ", fp);
		json_text(fp, more);
		fputs(" more trials per variant needed", fp);
	}
	if (cJSON_IsString(record))
		put(fp, "; on record: ", record->valuestring, "");
	if (cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(item, "holds")))
		fputs(" (no longer declared)", fp);
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(item, "concluded")))
		fputs(" (concluded)", fp);
	put(fp, ".</p>\n<p class=\"note\">", json_string_or_empty(item, "reason"), "</p>\n");
}

/* The figures of brain-ab report, one row per variant. */
static void kind_table(FILE *fp, const cJSON *lines)
{
	const cJSON *l;
	int value = 0;

	cJSON_ArrayForEach(l, lines)
		value |= cJSON_HasObjectItem(l, "value_mean");
	fputs("<table>\n<tr><th>Variant</th><th>Trials</th><th>Conv.</th><th>Rate</th>"
	      "<th>Interval (Wilson)</th>", fp);
	if (value)
		fputs("<th>Revenue per lead</th>", fp);
	fputs("<th>Lift</th><th>Always-valid interval</th><th>Seq. p</th><th>P(best)</th>"
	      "<th>Status</th></tr>\n", fp);
	cJSON_ArrayForEach(l, lines) {
		put(fp, "<tr><td>", json_string_or_empty(l, "variant_name"), "</td>");
		td_number(fp, l, "trials", NUMBER_COUNT);
		td_number(fp, l, "conversions", NUMBER_COUNT);
		td_number(fp, l, "rate", NUMBER_RATE);
		td_interval(fp, l, "ci_low", "ci_high", NUMBER_RATE);
		if (value)
			td_number(fp, l, "value_mean", NUMBER_MONEY);
		td_number(fp, l, "lift_abs", NUMBER_SIGNED);
		td_interval(fp, l, "seq_ci_low", "seq_ci_high", NUMBER_SIGNED);
		td_number(fp, l, "seq_p_value", NUMBER_RATE);
		td_number(fp, l, "prob_best", NUMBER_PROB);
		put(fp, "<td>", json_string_or_empty(l, "status"), "</td></tr>\n");
	}
	fputs("</table>\n", fp);
}

/* The variant of a history line among names[0..n) (a line of each, in
 * order, comes every day: the search starts after the last one found). */
static size_t variant_index(const char **names, size_t *n, size_t *last, const char *name)
{
	for (size_t k = 0; k < *n; k++) {
		size_t i = (*last + 1 + k) % *n;

		if (!strcmp(names[i], name))
			return *last = i;
	}
	names[*n] = name;
	return *last = (*n)++;
}

/* Each variant's cumulative rate, and each one's lift with its band, by
 * day, from the history lines: rate[i] and lift[i] for variant i. */
static size_t kind_series(const cJSON *history, struct series **rate, struct series **lift)
{
	size_t cap = (size_t)cJSON_GetArraySize(history) + 1, n = 0, last = 0;
	const char **names = xcalloc(cap, sizeof(*names));
	const cJSON *l;

	*rate = xcalloc(cap, sizeof(**rate));
	*lift = xcalloc(cap, sizeof(**lift));
	cJSON_ArrayForEach(l, history) {
		char ts[TIME_TEXT_SIZE + 16];
		size_t i = variant_index(names, &n, &last, json_string_or_empty(l, "variant_name"));
		time_t day = 0;

		snprintf(ts, sizeof(ts), "%sT00:00:00Z", json_string_or_empty(l, "day"));
		time_text_parse(ts, &day);
		(*rate)[i].name = (*lift)[i].name = names[i];
		(*rate)[i].colour = (*lift)[i].colour = i % NPALETTE;
		series_push(&(*rate)[i], (double)day, number_or_nan(l, "rate"), NAN, NAN, 0);
		if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(l, "control")))
			series_push(&(*lift)[i], (double)day, number_or_nan(l, "lift_abs"),
				    number_or_nan(l, "seq_ci_low"), number_or_nan(l, "seq_ci_high"), 0);
	}
	free(names);
	return n;
}

/* One kind of an experiment: its decision, its two charts, its figures. */
static void experiment_kind(struct page *p, const struct ab_set *s, const struct ab_args *a,
			    const char *kind)
{
	size_t shown, n;
	cJSON *history = ab_history_lines(s, a, kind, &shown);
	cJSON *lines = report_lines(s, a, kind);
	struct series *rate, *lift;
	char label[2 * IDENT_MAX + 64];

	put(p->fp, "<section class=\"kind\">\n<h3>", s->experiment, "");
	put(p->fp, ", kind ", kind, "</h3>\n");
	kind_decision(p->fp, status_item(p, "experiment", "experiment", s->experiment, "kind",
					 kind));
	n = kind_series(history, &rate, &lift);
	snprintf(label, sizeof(label), "%s, %s: cumulative rate by day", s->experiment, kind);
	chart(p->fp, &(struct chart){ "rate", label, "day (UTC)", "rate (conversions / trials)",
				      1, 1, rate, n, NULL }, label);
	snprintf(label, sizeof(label), "%s, %s: lift against the control by day", s->experiment,
		 kind);
	chart(p->fp, &(struct chart){ "lift", label, "day (UTC)",
				      "lift (difference in rate)", 1, 1, lift, n, NULL },
	      label);
	fputs("<p class=\"note\">The shaded band is the always-valid interval of the lift: "
	      "it may be looked at every day.</p>\n", p->fp);
	kind_table(p->fp, lines);
	fputs("</section>\n", p->fp);
	series_free(rate, n);
	series_free(lift, n);
	cJSON_Delete(lines);
	cJSON_Delete(history);
}

/* One experiment, loaded and analysed as brain-ab report and history do
 * without options (config.json's thresholds and guardrails). */
static void experiment(struct page *p, const char *id)
{
	struct ab_args a;
	struct state st;
	struct ab_set s;
	const char **kinds;
	size_t nkinds;
	enum brain_status status;

	memset(&a, 0, sizeof(a));
	a.experiment = id;
	a.trials = a.conversions = -1;
	a.power = 0.8;
	ab_options_default(&a.stat);
	if ((status = ab_cmd_load(p->cli, &a, &st, &s))) {
		put(p->fp, "<h3>", id, "</h3>\n");
		unreadable(p, "This experiment", status);
		return;
	}
	state_close(&st);
	kinds = ab_set_kinds(&s, &nkinds);
	if (!nkinds) {
		put(p->fp, "<h3>", id, "</h3>\n");
		empty(p->fp, "No variants registered.");
	}
	for (size_t k = 0; k < nkinds; k++)
		experiment_kind(p, &s, &a, kinds[k]);
	free(kinds);
	ab_set_free(&s);
}

static void section_experiments(struct page *p)
{
	char **ids = NULL;
	size_t n = 0;
	enum brain_status status = ab_store_list(p->st, &ids, &n);

	fputs("<section id=\"experiments\">\n<h2>Experiments</h2>\n", p->fp);
	if (status) {
		unreadable(p, "The experiments", status);
		n = 0;
	} else if (!n) {
		empty(p->fp, "No experiments yet.");
	}
	for (size_t i = 0; i < n; i++)
		experiment(p, ids[i]);
	if (!status)
		state_names_free(ids, n);
	fputs("</section>\n", p->fp);
}

/* --- scripts ----------------------------------------------------------- */

/* The part of the audit log read, when it stopped verifying. */
static void audit_note(struct page *p)
{
	const cJSON *a = status_item(p, "audit", "section", "audit", NULL, NULL);

	if (a && cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(a, "intact"))) {
		fputs("<p class=\"attention\">! Read only up to audit record ", p->fp);
		json_text(p->fp, cJSON_GetObjectItemCaseSensitive(a, "records"));
		fputs(", where the log stops verifying.</p>\n", p->fp);
	}
}

/* Audit records taken from the log, a row each under the header cells
 * head, after the note on where the log stops verifying; or what says
 * there are none. */
static void audit_records(struct page *p, const cJSON *records, const char *none,
			  const char *head, void (*row)(FILE *fp, const cJSON *record))
{
	const cJSON *r;

	audit_note(p);
	if (!records->child) {
		empty(p->fp, none);
		return;
	}
	fprintf(p->fp, "<table>\n<tr>%s</tr>\n", head);
	cJSON_ArrayForEach(r, records)
		row(p->fp, r);
	fputs("</table>\n", p->fp);
}

static void script_registry(struct page *p, const struct script_registry *r)
{
	FILE *fp = p->fp;

	fputs("<table>\n<tr><th>Script</th><th>Name</th><th>Status</th><th>Evaluations</th>"
	      "<th>Last performance</th><th>Streak</th><th>Last change</th></tr>\n", fp);
	for (size_t i = 0; i < r->n; i++) {
		cJSON *o = script_store_json(&r->s[i]);

		put(fp, "<tr><td>", json_string_or_empty(o, "script_id"), "</td>");
		put(fp, "<td>", json_string_or_empty(o, "name"), "</td>");
		put(fp, "<td>", json_string_or_empty(o, "status"), "</td>");
		td_number(fp, o, "evaluations", NUMBER_COUNT);
		td_number(fp, o, "last_performance", NUMBER_RATE);
		td_number(fp, o, "streak", NUMBER_COUNT);
		put(fp, "<td>", json_string(o, "last_change") ? json_string(o, "last_change")
							       : "\xe2\x80\x93", "</td></tr>\n");
		cJSON_Delete(o);
	}
	fputs("</table>\n", fp);
}

/* One promote.* record as a row: brain-promote history's line. */
static void script_event(FILE *fp, const cJSON *e)
{
	const cJSON *rec = cJSON_GetObjectItemCaseSensitive(e, "rec");
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(rec, "details");
	const char *old = json_string(d, "old_status"), *now = json_string(d, "new_status");
	const char *why = json_string(d, "reason"), *note = json_string(rec, "reason");

	fputs("<tr>", fp);
	td_number(fp, e, "seq", NUMBER_COUNT);
	put(fp, "<td>", json_string_or_empty(e, "ts"), "</td>");
	put(fp, "<td>", json_string_or_empty(rec, "subject"), "</td>");
	put(fp, "<td>", json_string_or_empty(rec, "action") + strlen("promote."), "</td><td>");
	if (old && now)
		put(fp, "", old, " \xe2\x86\x92 ");
	esc(fp, now ? now : json_string_or_empty(d, "status"));
	fputs("</td>", fp);
	td_number(fp, d, "performance", NUMBER_RATE);
	put(fp, "<td>", why ? why : "", "");
	if (note && (!why || strcmp(note, why)))
		put(fp, why ? " (" : "(", note, ")");
	put(fp, "</td><td>", json_string_or_empty(rec, "actor"), "</td></tr>\n");
}

static void section_scripts(struct page *p)
{
	struct script_registry r;
	enum brain_status status = script_store_load(p->st, &r);

	fputs("<section id=\"scripts\">\n<h2>Scripts</h2>\n", p->fp);
	if (status)
		unreadable(p, "The script registry", status);
	else if (!r.n)
		empty(p->fp, "No scripts registered.");
	else
		script_registry(p, &r);
	if (!status)
		script_store_free(&r);
	fputs("<h3>Lifecycle</h3>\n", p->fp);
	audit_records(p, p->scripts, "No registration, evaluation or change of a script in the "
		      "audit trail.", "<th>Seq</th><th>Time</th><th>Script</th><th>Event</th>"
		      "<th>Status</th><th>Performance</th><th>Why</th><th>Actor</th>", script_event);
	fputs("</section>\n", p->fp);
}

/* --- eval -------------------------------------------------------------- */

/* One metric's outcomes, oldest first, the points where the detector is
 * over its threshold marked (as brain-eval watch --verbose says alarm). */
static void eval_metric(struct page *p, const struct eval_options *o, const char *metric)
{
	struct eval_series s;
	struct eval_trend t;
	struct series line = { .name = "score" };
	double *stat;
	char first[TIME_TEXT_SIZE], last[TIME_TEXT_SIZE], x_title[128], caption[256];
	enum brain_status status = eval_series_load(p->st->dirfd, metric, 0, &s);

	if (status) {
		put(p->fp, "<h3>", metric, "</h3>\n");
		unreadable(p, "This metric", status);
		return;
	}
	stat = xcalloc(s.n + 1, sizeof(*stat));
	if (s.n && !eval_trend(&s, o, &t, stat)) {
		for (size_t i = 0; i < s.n; i++)
			series_push(&line, (double)(i + 1), s.score[i], NAN, NAN,
				    stat[i] > t.threshold);
		time_text_format(s.ts[0], first);
		time_text_format(s.ts[s.n - 1], last);
		snprintf(x_title, sizeof(x_title), "outcome, oldest first (1: %s, %zu: %s)", first,
			 s.n, last);
		snprintf(caption, sizeof(caption), "%s: %zu outcomes, %s; %s %s", metric, s.n,
			 t.trend, t.detector, t.regression ? "in alarm" : "not in alarm");
		if (t.regression)
			snprintf(caption + strlen(caption), sizeof(caption) - strlen(caption),
				 " from point %ld", t.change_index);
		chart(p->fp, &(struct chart){ "eval", caption, x_title, "score", 0, 0, &line, 1,
					      "over the detector's threshold" }, caption);
	}
	series_clear(&line);
	free(stat);
	eval_series_free(&s);
}

static void section_eval(struct page *p)
{
	struct eval_options o;
	char **names = NULL;
	size_t *counts = NULL, n = 0;
	enum brain_status status = eval_options_load(p->st->dirfd, &o);

	fputs("<section id=\"eval\">\n<h2>Evaluation</h2>\n", p->fp);
	if (!status)
		status = eval_metrics(p->st->dirfd, &names, &counts, &n);
	if (status)
		unreadable(p, "The outcomes", status);
	else if (!n)
		empty(p->fp, "No outcomes recorded yet.");
	for (size_t i = 0; i < n; i++) {
		eval_metric(p, &o, names[i]);
		free(names[i]);
	}
	free(names);
	free(counts);
	fputs("</section>\n", p->fp);
}

/* --- models ------------------------------------------------------------ */

static void model_versions(FILE *fp, const struct model *m)
{
	cJSON *o = model_store_json(m);
	const cJSON *v;

	fputs("<table>\n<tr><th>Version</th><th>State</th><th>Accuracy</th><th>Strategy</th>"
	      "<th>Artifact</th><th>Created</th></tr>\n", fp);
	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(o, "versions")) {
		const char *state = json_string_or_empty(v, "state");
		char artifact[16];

		snprintf(artifact, sizeof(artifact), "%.12s", json_string_or_empty(v, "artifact"));
		fputs(strcmp(state, "serving") && strcmp(state, "canary") && strcmp(state, "shadow")
		      ? "<tr>" : "<tr class=\"current\">", fp);
		put(fp, "<td>", json_string_or_empty(v, "version_id"), "</td>");
		put(fp, "<td>", state, "</td>");
		td_number(fp, v, "accuracy", NUMBER_RATE);
		put(fp, "<td>", json_string_or_empty(v, "strategy"), "</td>");
		put(fp, "<td><code>", *artifact ? artifact : "\xe2\x80\x93", "</code></td>");
		put(fp, "<td>", json_string_or_empty(v, "created"), "</td></tr>\n");
	}
	fputs("</table>\n", fp);
	cJSON_Delete(o);
}

static void model(FILE *fp, const struct model *m)
{
	char weight[32];

	put(fp, "<h3>", m->name, "");
	put(fp, " (", m->id, ")</h3>\n<p>Serving: <strong>");
	put(fp, "", *m->serving ? m->serving : "none", "</strong>");
	if (*m->canary) {
		put(fp, "; canary ", m->canary, " at ");
		put(fp, "", number_text(m->canary_weight, NUMBER_PLAIN, weight, sizeof(weight)),
		    " of traffic");
	}
	for (size_t i = 0, shadows = 0; i < m->n; i++)
		if (!strcmp(m->v[i].state, "shadow"))
			put(fp, shadows++ ? ", " : "; shadow: ", m->v[i].id, "");
	fputs(".</p>\n", fp);
	model_versions(fp, m);
}

static void section_models(struct page *p)
{
	char **ids = NULL;
	size_t n = 0, shown = 0;
	enum brain_status status = model_store_list(p->st, &ids, &n);

	fputs("<section id=\"models\">\n<h2>Models</h2>\n", p->fp);
	if (status) {
		unreadable(p, "The models", status);
		n = 0;
	}
	for (size_t i = 0; i < n; i++) {
		struct model m;
		enum brain_status loaded = model_store_load(p->st, ids[i], &m, 1);

		/* A directory without its model.json holds no model. */
		if (loaded == BRAIN_NO)
			continue;
		shown++;
		if (loaded) {
			put(p->fp, "<h3>", ids[i], "</h3>\n");
			unreadable(p, "This model", loaded);
			continue;
		}
		model(p->fp, &m);
		model_store_free(&m);
	}
	if (!status && !shown)
		empty(p->fp, "No models yet.");
	if (n)
		state_names_free(ids, n);
	fputs("</section>\n", p->fp);
}

/* --- gates ------------------------------------------------------------- */

/* The evidence a decision recorded, gate by gate, with where each piece
 * came from; then the waivers it saw. */
static void gate_evidence(FILE *fp, const cJSON *d)
{
	const cJSON *e, *w;

	fputs("<ul class=\"evidence\">", fp);
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(d, "evidence")) {
		const char *source = json_string(e, "source"), *why = json_string(e, "score_reason");

		put(fp, "<li>", e->string, ": ");
		json_text(fp, cJSON_GetObjectItemCaseSensitive(e, "value"));
		if (source)
			put(fp, " (", source, ")");
		if (why)
			put(fp, "; ", why, "");
		fputs("</li>", fp);
	}
	cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(d, "waivers")) {
		put(fp, "<li>waived: ", json_string_or_empty(w, "gate"), " until ");
		put(fp, "", json_string_or_empty(w, "until"), " (");
		put(fp, "", json_string_or_empty(w, "reason"), ")</li>");
	}
	fputs("</ul>", fp);
}

static void gate_decision(FILE *fp, const cJSON *g)
{
	const cJSON *rec = cJSON_GetObjectItemCaseSensitive(g, "rec");
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(rec, "details");
	const cJSON *failed = cJSON_GetObjectItemCaseSensitive(d, "failed");
	const char *decision = json_string_or_empty(rec, "status"), *at = json_string(d, "at");
	int block = !strcmp(decision, "BLOCK");

	fprintf(fp, "<tr%s><td class=\"mark\">%s</td>", block ? " class=\"attention\"" : "",
		block ? "!" : "");
	td_number(fp, g, "seq", NUMBER_COUNT);
	put(fp, "<td>", at ? at : json_string_or_empty(g, "ts"), "</td>");
	put(fp, "<td>", json_string_or_empty(rec, "subject"), "</td>");
	put(fp, "<td><strong>", decision, "</strong></td><td>");
	json_text(fp, cJSON_GetArraySize(failed) ? failed : NULL);
	fputs("</td><td>", fp);
	gate_evidence(fp, d);
	put(fp, "</td><td>", json_string_or_empty(rec, "reason"), "</td></tr>\n");
}

static void section_gates(struct page *p)
{
	fputs("<section id=\"gates\">\n<h2>Gate decisions</h2>\n", p->fp);
	audit_records(p, p->gates, "No gate decision in the audit trail.",
		      "<th></th><th>Seq</th><th>At</th><th>Clone</th><th>Decision</th>"
		      "<th>Failed gates</th><th>Evidence</th><th>Reason given</th>", gate_decision);
	fputs("</section>\n", p->fp);
}

/* --- gathering and writing --------------------------------------------- */

/* A status_view's item: kept for the overview and the sections. */
static void take_item(void *arg, const cJSON *rec)
{
	struct page *p = arg;

	cJSON_AddItemToArray(p->items, cJSON_Duplicate(rec, 1));
}

/* A status_view's audit record: the gate decisions and the scripts'
 * lifecycle, with their seq and time. */
static void take_audit(void *arg, const cJSON *line, const cJSON *rec, uint64_t seq)
{
	struct page *p = arg;
	const char *action = json_string(rec, "action");
	cJSON *o, *into;

	if (!action)
		return;
	if (!strcmp(action, "gate.decision"))
		into = p->gates;
	else if (!strncmp(action, "promote.", strlen("promote.")))
		into = p->scripts;
	else
		return;
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "seq", (double)seq);
	cJSON_AddStringToObject(o, "ts", json_string_or_empty(line, "ts"));
	cJSON_AddItemToObject(o, "rec", cJSON_Duplicate(rec, 1));
	cJSON_AddItemToArray(into, o);
}

static void page_write(struct page *p, const char *now)
{
	page_begin(p, now);
	section_overview(p);
	section_experiments(p);
	section_scripts(p);
	section_eval(p);
	section_models(p);
	section_gates(p);
	fputs("</body>\n</html>\n", p->fp);
}

/* Write the page to path: "-" is stdout; else a temporary file in path's
 * directory, renamed over path once the page is whole. */
static enum brain_status page_output(struct page *p, const char *path, const char *now)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xstrdup(path) : xstrdup(".");
	const char *base = slash ? slash + 1 : path;
	struct file_replace fr;
	enum brain_status status;
	int dirfd;

	if (!strcmp(path, "-")) {
		free(dir);
		p->fp = stdout;
		page_write(p, now);
		return BRAIN_OK;
	}
	if (slash)
		dir[slash - path + (slash == path)] = '\0';
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		status = diag_errno(BRAIN_IO, errno, "cannot open the directory of '%s'", path);
		free(dir);
		return status;
	}
	if (!(status = file_replace_begin(&fr, dirfd, base))) {
		p->fp = fr.fp;
		page_write(p, now);
		status = file_replace_commit(&fr);
	}
	close(dirfd);
	free(dir);
	return status;
}

enum brain_status report_html_write(const struct cli *cli, const char *path)
{
	struct state st;
	struct config *cfg = NULL;
	struct page p = { .cli = cli, .st = &st };
	struct status_view view = { take_item, take_audit, &p };
	char now[TIME_TEXT_SIZE];
	const char *slash = strrchr(path, '/');
	time_t t;
	enum brain_status status;

	if (!*path || (slash && !slash[1]))
		return diag_error(BRAIN_USAGE, "--html='%s': want the name of a file", path);
	if ((status = clock_now(&t)))
		return status;
	time_text_format(t, now);
	if ((status = state_open(&st, cli->state_dir, STATE_READ)))
		return status;
	if ((status = config_load(st.dirfd, &cfg))) {
		state_close(&st);
		return status;
	}
	p.items = cJSON_CreateArray();
	p.gates = cJSON_CreateArray();
	p.scripts = cJSON_CreateArray();
	/* BRAIN_NO says something needs attention: the page shows it. */
	status = status_cmd_gather(cli, &st, cfg, &view);
	if (status != BRAIN_OK && status != BRAIN_NO)
		p.failed = status;
	if (status != BRAIN_IO)
		status = page_output(&p, path, now);
	if (!status)
		status = p.failed;
	cJSON_Delete(p.items);
	cJSON_Delete(p.gates);
	cJSON_Delete(p.scripts);
	config_free(cfg);
	state_close(&st);
	return status;
}
