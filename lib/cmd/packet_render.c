/* packet_render.c - a deal packet as text, Markdown or HTML; see
 * packet_render.h. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cmd/packet_render.h"
#include "pure/json.h"
#include "banned.h"


static void money_text(const cJSON *o, const char *name, char *buf, size_t size)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	char digits[32], *out = buf;
	int len, lead;

	if (!cJSON_IsNumber(v)) {
		snprintf(buf, size, "-");
		return;
	}
	snprintf(digits, sizeof(digits), "%.0f", fabs(v->valuedouble));
	len = (int)strlen(digits);
	lead = len % 3 ? len % 3 : 3;
	if (v->valuedouble < 0 && size > 1)
		*out++ = '-';
	*out++ = '$';
	for (int i = 0; i < len && (size_t)(out - buf) + 2 < size; i++) {
		if (i >= lead && (i - lead) % 3 == 0)
			*out++ = ',';
		*out++ = digits[i];
	}
	*out = '\0';
}

static const char *const deal_rows[][2] = {
	{ "arv", "After-repair value (ARV)" },
	{ "repairs", "Repairs" },
	{ "closing_costs", "Closing costs" },
	{ "holding_costs", "Holding costs" },
	{ "selling_costs", "Selling costs" },
	{ "buyer_profit", "Buyer's profit" },
	{ "buyer_max_price", "Buyer's maximum price" },
	{ "assignment_fee", "Assignment fee" },
	{ "mao", "Maximum allowable offer (MAO)" },
	{ "asking_price", "Asking price" },
	{ "contract_price", "Contract price" },
	{ "price_to_buyer", "Price to buyer" },
	{ "buyer_all_in", "Buyer all-in" },
	{ "fee_headroom", "Fee headroom" },
};

/* A row of the deal table: a figure, or (wide) a sentence. */
struct deal_row {
	char label[64], value[192];
	int key, wide;
};

#define DEAL_ROWS_MAX (sizeof(deal_rows) / sizeof(deal_rows[0]) + 2)

/* How the ARV was found, in words: "median $180.00/sqft of 3 comps (1
 * outlier left out) x 1450 sqft", or "given" and what the comps say. */
static void arv_basis(const cJSON *p, const cJSON *deal, char *buf, size_t size)
{
	const cJSON *used = cJSON_GetObjectItemCaseSensitive(deal, "comps_used");
	const cJSON *out = cJSON_GetObjectItemCaseSensitive(deal, "outliers");
	const cJSON *sqft = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(p, "property"), "sqft");
	const cJSON *ppsf = cJSON_GetObjectItemCaseSensitive(deal, "price_per_sqft");
	char from[48], outliers[48] = "";
	int n = cJSON_IsNumber(used) ? used->valueint : 0;

	if (cJSON_IsNumber(out) && out->valueint > 0)
		snprintf(outliers, sizeof(outliers), " (%d outlier%s left out)", out->valueint,
			 out->valueint > 1 ? "s" : "");
	money_text(deal, "arv_from_comps", from, sizeof(from));
	if (!cJSON_IsNumber(ppsf))
		snprintf(buf, size, "given");
	else if (!strcmp(json_string_or_empty(deal, "arv_source"), "given"))
		snprintf(buf, size, "given; the median $%.2f/sqft of %d comp%s%s gives %s",
			 ppsf->valuedouble, n, n == 1 ? "" : "s", outliers, from);
	else
		snprintf(buf, size, "median $%.2f/sqft of %d comp%s%s x %.15g sqft",
			 ppsf->valuedouble, n, n == 1 ? "" : "s", outliers,
			 cJSON_IsNumber(sqft) ? sqft->valuedouble : 0);
}

/* A line of the cost stack taken from a default says so: "Closing costs
 * (default 3% of ARV)", "Repairs (none given)". */
static void row_label(const cJSON *deal, size_t i, char *buf, size_t size)
{
	const cJSON *rate = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(deal, "defaulted"), deal_rows[i][0]);

	if (!cJSON_IsNumber(rate))
		snprintf(buf, size, "%s", deal_rows[i][1]);
	else if (!strcmp(deal_rows[i][0], "repairs"))
		snprintf(buf, size, "%s (none given)", deal_rows[i][1]);
	else
		snprintf(buf, size, "%s (default %.4g%% of ARV)", deal_rows[i][1],
			 rate->valuedouble * 100);
}

/* The deal table of a packet: its figures, the ARV's basis after the
 * ARV, and the rule.  The number of rows. */
static size_t deal_table(const cJSON *p, struct deal_row *rows)
{
	const cJSON *deal = cJSON_GetObjectItemCaseSensitive(p, "deal");
	const cJSON *rule = cJSON_GetObjectItemCaseSensitive(deal, "rule");
	size_t n = 0;

	for (size_t i = 0; i < sizeof(deal_rows) / sizeof(deal_rows[0]); i++) {
		if (!cJSON_HasObjectItem(deal, deal_rows[i][0]))
			continue;
		memset(&rows[n], 0, sizeof(rows[n]));
		row_label(deal, i, rows[n].label, sizeof(rows[n].label));
		money_text(deal, deal_rows[i][0], rows[n].value, sizeof(rows[n].value));
		rows[n++].key = !strcmp(deal_rows[i][0], "mao");
		if (i == 0 && cJSON_HasObjectItem(deal, "arv_source")) {
			memset(&rows[n], 0, sizeof(rows[n]));
			snprintf(rows[n].label, sizeof(rows[n].label), "ARV basis");
			arv_basis(p, deal, rows[n].value, sizeof(rows[n].value));
			rows[n++].wide = 1;
		}
	}
	if (cJSON_IsNumber(rule) && rule->valuedouble > 0) {
		memset(&rows[n], 0, sizeof(rows[n]));
		snprintf(rows[n].label, sizeof(rows[n].label), "Rule");
		snprintf(rows[n].value, sizeof(rows[n].value), "%.0f %% of ARV",
			 rule->valuedouble * 100);
		rows[n++].wide = 1;
	}
	return n;
}

static void join(const cJSON *list, char *buf, size_t size)
{
	const cJSON *e;
	size_t used = 0;

	buf[0] = '\0';
	cJSON_ArrayForEach(e, list) {
		snprintf(buf + used, size - used, "%s%s", used ? ", " : "", e->valuestring);
		used = strlen(buf);
	}
	if (!used)
		snprintf(buf, size, "none");
}

/* A fact or comp field as text: strings as they are, numbers as written. */
static void value_text(const cJSON *v, char *buf, size_t size)
{
	if (cJSON_IsString(v))
		snprintf(buf, size, "%s", v->valuestring);
	else if (cJSON_IsNumber(v))
		snprintf(buf, size, "%.15g", v->valuedouble);
	else if (cJSON_IsBool(v))
		snprintf(buf, size, "%s", cJSON_IsTrue(v) ? "yes" : "no");
	else
		snprintf(buf, size, "-");
}

/* The comps columns, and their headings. */
static const char *const comp_cols[][2] = {
	{ "address", "Address" }, { "sold", "Sold" }, { "price", "Price" }, { "sqft", "Sq ft" },
	{ "price_per_sqft", "$/sq ft" }, { "distance", "Distance" }, { "outlier", "Outlier" },
};

static void comp_cell(const cJSON *c, size_t col, char *buf, size_t size)
{
	const char *name = comp_cols[col][0];
	const cJSON *ppsf = cJSON_GetObjectItemCaseSensitive(c, "price_per_sqft");

	if (!strcmp(name, "price_per_sqft") && cJSON_IsNumber(ppsf))
		snprintf(buf, size, "$%.2f", ppsf->valuedouble);
	else if (!strcmp(name, "price") || !strcmp(name, "price_per_sqft"))
		money_text(c, name, buf, size);
	else
		value_text(cJSON_GetObjectItemCaseSensitive(c, name), buf, size);
	if (!strcmp(name, "sold") && strlen(buf) > 10)
		buf[10] = '\0';
}

void packet_title(const cJSON *p, char *buf, size_t size)
{
	char money[48];
	const char *terms = json_string(p, "terms");

	money_text(p, "deal_value", money, sizeof(money));
	snprintf(buf, size, "%s%s%s%s%s%s", json_string_or_empty(p, "lead_name"),
		 cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(p, "deal_value")) ? " - " : "",
		 cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(p, "deal_value")) ? money : "",
		 terms ? " (" : "", terms ? terms : "", terms ? ")" : "");
}

/* The property's facts on one line, and a line per comp. */
static void text_property(const cJSON *p, FILE *fp)
{
	const cJSON *prop = cJSON_GetObjectItemCaseSensitive(p, "property"), *m, *c;
	char v[256], cell[64];

	if (prop && prop->child) {
		fputs("  property:", fp);
		cJSON_ArrayForEach(m, prop) {
			value_text(m, v, sizeof(v));
			fprintf(fp, " %s=%s", m->string, v);
		}
		fputc('\n', fp);
	}
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(p, "comps")) {
		fputs("  comp:", fp);
		for (size_t i = 0; i < sizeof(comp_cols) / sizeof(*comp_cols); i++)
			if (cJSON_HasObjectItem(c, comp_cols[i][0])) {
				comp_cell(c, i, cell, sizeof(cell));
				fprintf(fp, " %s=%s", comp_cols[i][0], cell);
			}
		fputc('\n', fp);
	}
}

static void print_text(const cJSON *p, FILE *fp)
{
	const cJSON *w, *channel = cJSON_GetObjectItemCaseSensitive(p, "channel");
	const cJSON *script = cJSON_GetObjectItemCaseSensitive(p, "script");
	struct deal_row rows[DEAL_ROWS_MAX];
	char list[512], title[512];
	size_t n;

	packet_title(p, title, sizeof(title));
	fprintf(fp, "%s  %s\n", json_string_or_empty(p, "packet_id"), title);
	if (cJSON_HasObjectItem(p, "scripts")) {
		join(cJSON_GetObjectItemCaseSensitive(p, "scripts"), list, sizeof(list));
		fprintf(fp, "  scripts:  %s\n", list);
	}
	if (cJSON_IsString(script)) {
		const char *label = json_string(cJSON_GetObjectItemCaseSensitive(
			p, "recommendation_basis"), "script");

		fprintf(fp, "  script:   %s%s%s%s\n", script->valuestring, label ? " (" : "",
			label ? label : "", label ? ")" : "");
	}
	if (cJSON_HasObjectItem(p, "channels")) {
		join(cJSON_GetObjectItemCaseSensitive(p, "channels"), list, sizeof(list));
		fprintf(fp, "  channels: %s\n", list);
	}
	/* None is said by the channels line, and why by the warnings. */
	if (cJSON_IsString(channel))
		fprintf(fp, "  channel:  %s\n", channel->valuestring);
	text_property(p, fp);
	n = deal_table(p, rows);
	for (size_t i = 0; i < n; i++)
		if (rows[i].wide)
			fprintf(fp, "  %s: %s\n", rows[i].label, rows[i].value);
		else
			fprintf(fp, "  %-40s %12s\n", rows[i].label, rows[i].value);
	cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(p, "warnings")) {
		if (cJSON_IsString(w))
			fprintf(fp, "  warning: %s\n", w->valuestring);
	}
}

static void markdown_property(const cJSON *p, FILE *fp)
{
	const cJSON *prop = cJSON_GetObjectItemCaseSensitive(p, "property"), *m, *c;
	const cJSON *comps = cJSON_GetObjectItemCaseSensitive(p, "comps");
	char v[256];

	if (prop && prop->child) {
		fputs("\n## Property\n\n", fp);
		cJSON_ArrayForEach(m, prop) {
			value_text(m, v, sizeof(v));
			fprintf(fp, "- %s: %s\n", m->string, v);
		}
	}
	if (!comps || !comps->child)
		return;
	fputs("\n## Comps\n\n|", fp);
	for (size_t i = 0; i < sizeof(comp_cols) / sizeof(*comp_cols); i++)
		fprintf(fp, " %s |", comp_cols[i][1]);
	fputs("\n|", fp);
	for (size_t i = 0; i < sizeof(comp_cols) / sizeof(*comp_cols); i++)
		fputs("---|", fp);
	fputc('\n', fp);
	cJSON_ArrayForEach(c, comps) {
		fputc('|', fp);
		for (size_t i = 0; i < sizeof(comp_cols) / sizeof(*comp_cols); i++) {
			comp_cell(c, i, v, sizeof(v));
			fprintf(fp, " %s |", v);
		}
		fputc('\n', fp);
	}
}

static void markdown(const cJSON *p, FILE *fp)
{
	const cJSON *w, *basis = cJSON_GetObjectItemCaseSensitive(p, "recommendation_basis");
	struct deal_row rows[DEAL_ROWS_MAX];
	char list[512], money[48];
	size_t n;

	fprintf(fp, "# Deal packet: %s\n\n", json_string_or_empty(p, "lead_name"));
	fprintf(fp, "Packet `%s`, built %s.\n\n", json_string_or_empty(p, "packet_id"), json_string_or_empty(p, "created"));
	if (cJSON_HasObjectItem(p, "deal_value")) {
		money_text(p, "deal_value", money, sizeof(money));
		fprintf(fp, "- Deal value: %s\n", money);
	}
	if (*json_string_or_empty(p, "terms"))
		fprintf(fp, "- Terms: %s\n", json_string_or_empty(p, "terms"));
	if (cJSON_HasObjectItem(p, "scripts")) {
		join(cJSON_GetObjectItemCaseSensitive(p, "scripts"), list, sizeof(list));
		fprintf(fp, "- Scripts: %s (%s)\n", list, json_string_or_empty(basis, "scripts"));
		if (json_string(p, "script"))
			fprintf(fp, "- Script: %s (%s)\n", json_string(p, "script"),
				json_string_or_empty(basis, "script"));
		join(cJSON_GetObjectItemCaseSensitive(p, "channels"), list, sizeof(list));
		fprintf(fp, "- Channels: %s (%s)\n", list, json_string_or_empty(basis, "channels"));
	}
	markdown_property(p, fp);
	if ((n = deal_table(p, rows)) > 0) {
		fprintf(fp, "\n## Deal math\n\n| | |\n|---|---:|\n");
		for (size_t i = 0; i < n; i++)
			fprintf(fp, "| %s | %s |\n", rows[i].label, rows[i].value);
	}
	if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(p, "warnings")) > 0) {
		fprintf(fp, "\n## Warnings\n\n");
		cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(p, "warnings")) {
			if (cJSON_IsString(w))
				fprintf(fp, "- %s\n", w->valuestring);
		}
	}
}

void html_text(const char *s, FILE *fp)
{
	for (; *s; s++)
		switch (*s) {
		case '&': fputs("&amp;", fp); break;
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '"': fputs("&quot;", fp); break;
		case '\'': fputs("&#39;", fp); break;
		default: fputc(*s, fp);
		}
}

static void html_property(const cJSON *p, FILE *fp)
{
	const cJSON *prop = cJSON_GetObjectItemCaseSensitive(p, "property"), *m, *c;
	const cJSON *comps = cJSON_GetObjectItemCaseSensitive(p, "comps");
	char v[256];

	if (prop && prop->child) {
		fputs("<h2>Property</h2>\n<table>\n", fp);
		cJSON_ArrayForEach(m, prop) {
			value_text(m, v, sizeof(v));
			fputs("<tr><td>", fp);
			html_text(m->string, fp);
			fputs("</td><td class=\"n\">", fp);
			html_text(v, fp);
			fputs("</td></tr>\n", fp);
		}
		fputs("</table>\n", fp);
	}
	if (!comps || !comps->child)
		return;
	fputs("<h2>Comps</h2>\n<table>\n<tr>", fp);
	for (size_t i = 0; i < sizeof(comp_cols) / sizeof(*comp_cols); i++)
		fprintf(fp, "<td><b>%s</b></td>", comp_cols[i][1]);
	fputs("</tr>\n", fp);
	cJSON_ArrayForEach(c, comps) {
		fputs("<tr>", fp);
		for (size_t i = 0; i < sizeof(comp_cols) / sizeof(*comp_cols); i++) {
			comp_cell(c, i, v, sizeof(v));
			fputs(i ? "<td class=\"n\">" : "<td>", fp);
			html_text(v, fp);
			fputs("</td>", fp);
		}
		fputs("</tr>\n", fp);
	}
	fputs("</table>\n", fp);
}

static void html_deal(const cJSON *p, FILE *fp)
{
	struct deal_row rows[DEAL_ROWS_MAX];
	size_t n = deal_table(p, rows);

	if (!n)
		return;
	fputs("<h2>Deal math</h2>\n<table>\n", fp);
	for (size_t i = 0; i < n; i++) {
		fputs(rows[i].key ? "<tr class=\"key\"><td>" : "<tr><td>", fp);
		html_text(rows[i].label, fp);
		fputs("</td><td class=\"n\">", fp);
		html_text(rows[i].value, fp);
		fputs("</td></tr>\n", fp);
	}
	fputs("</table>\n", fp);
}

static void html(const cJSON *p, FILE *fp)
{
	const cJSON *w;
	const cJSON *basis = cJSON_GetObjectItemCaseSensitive(p, "recommendation_basis");
	char list[512], money[48];

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Deal packet: ",
	      fp);
	html_text(json_string_or_empty(p, "lead_name"), fp);
	fputs("</title>\n<style>\n"
	      "body{font-family:Georgia,'Times New Roman',serif;max-width:42rem;margin:2rem auto;"
	      "padding:0 1rem;color:#222;line-height:1.45}\n"
	      "h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:1.6rem;"
	      "border-bottom:1px solid #ccc}\n"
	      ".meta{color:#666;font-size:.9rem}\n"
	      "table{border-collapse:collapse;width:100%}td{padding:.3rem .4rem;border-bottom:1px solid #eee}"
	      "td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
	      "tr.key td{font-weight:bold}\n"
	      ".warn{background:#fff4e5;border-left:4px solid #e8a33d;padding:.4rem .8rem;margin:.3rem 0}\n"
	      "@media print{body{margin:0;max-width:none}.warn{break-inside:avoid}}\n"
	      "</style>\n</head>\n<body>\n<h1>", fp);
	html_text(json_string_or_empty(p, "lead_name"), fp);
	fputs("</h1>\n<p class=\"meta\">Deal packet ", fp);
	html_text(json_string_or_empty(p, "packet_id"), fp);
	fputs(", built ", fp);
	html_text(json_string_or_empty(p, "created"), fp);
	fputs("</p>\n<table>\n", fp);
	if (cJSON_HasObjectItem(p, "deal_value")) {
		money_text(p, "deal_value", money, sizeof(money));
		fputs("<tr><td>Deal value</td><td class=\"n\">", fp);
		html_text(money, fp);
		fputs("</td></tr>\n", fp);
	}
	if (*json_string_or_empty(p, "terms")) {
		fputs("<tr><td>Terms</td><td class=\"n\">", fp);
		html_text(json_string_or_empty(p, "terms"), fp);
		fputs("</td></tr>\n", fp);
	}
	if (!cJSON_HasObjectItem(p, "scripts")) {
		fputs("</table>\n", fp);
		html_property(p, fp);
		html_deal(p, fp);
		fputs("</body>\n</html>\n", fp);
		return;
	}
	join(cJSON_GetObjectItemCaseSensitive(p, "scripts"), list, sizeof(list));
	fputs("<tr><td>Scripts</td><td class=\"n\">", fp);
	html_text(list, fp);
	fputs("</td></tr>\n", fp);
	if (json_string(p, "script")) {
		fputs("<tr><td>Script</td><td class=\"n\">", fp);
		html_text(json_string(p, "script"), fp);
		fputs(" (", fp);
		html_text(json_string_or_empty(basis, "script"), fp);
		fputs(")</td></tr>\n", fp);
	}
	join(cJSON_GetObjectItemCaseSensitive(p, "channels"), list, sizeof(list));
	fputs("<tr><td>Channels</td><td class=\"n\">", fp);
	html_text(list, fp);
	fputs("</td></tr>\n</table>\n<p class=\"meta\">Scripts: ", fp);
	html_text(json_string_or_empty(basis, "scripts"), fp);
	fputs(". Channels: ", fp);
	html_text(json_string_or_empty(basis, "channels"), fp);
	fputs(".</p>\n", fp);
	html_property(p, fp);
	html_deal(p, fp);
	if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(p, "warnings")) > 0) {
		fputs("<h2>Warnings</h2>\n", fp);
		cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(p, "warnings")) {
			if (!cJSON_IsString(w))
				continue;
			fputs("<p class=\"warn\">", fp);
			html_text(w->valuestring, fp);
			fputs("</p>\n", fp);
		}
	}
	fputs("</body>\n</html>\n", fp);
}

cJSON *packet_buyer_view(const cJSON *p)
{
	static const char *const deal_keep[] = { "arv", "arv_source", "arv_from_comps",
						 "price_per_sqft", "comps", "comps_used", "outliers",
						 "repairs", "price_to_buyer", "buyer_all_in",
						 "all_in_share_of_arv" };
	const cJSON *prop = cJSON_GetObjectItemCaseSensitive(p, "property");
	const cJSON *deal = cJSON_GetObjectItemCaseSensitive(p, "deal");
	const char *address = json_string(prop, "address");
	cJSON *v = cJSON_CreateObject(), *d = cJSON_CreateObject();

	cJSON_AddStringToObject(v, "packet_id", json_string_or_empty(p, "packet_id"));
	cJSON_AddStringToObject(v, "view", "buyer");
	cJSON_AddStringToObject(v, "lead_name", address ? address : "Property");
	if (json_string(p, "terms"))
		cJSON_AddStringToObject(v, "terms", json_string(p, "terms"));
	if (prop)
		cJSON_AddItemToObject(v, "property", cJSON_Duplicate(prop, 1));
	if (cJSON_HasObjectItem(p, "comps"))
		cJSON_AddItemToObject(v, "comps", cJSON_Duplicate(
			cJSON_GetObjectItemCaseSensitive(p, "comps"), 1));
	for (size_t i = 0; i < sizeof(deal_keep) / sizeof(*deal_keep); i++) {
		const cJSON *x = cJSON_GetObjectItemCaseSensitive(deal, deal_keep[i]);

		if (x)
			cJSON_AddItemToObject(d, deal_keep[i], cJSON_Duplicate(x, 1));
	}
	/* Repairs taken as 0 are said to be, to the buyer too. */
	if (cJSON_HasObjectItem(cJSON_GetObjectItemCaseSensitive(deal, "defaulted"), "repairs"))
		cJSON_AddNumberToObject(cJSON_AddObjectToObject(d, "defaulted"), "repairs", 0);
	cJSON_AddItemToObject(v, "deal", d);
	cJSON_AddStringToObject(v, "created", json_string_or_empty(p, "created"));
	return v;
}

void packet_render(const cJSON *p, enum packet_format format, FILE *fp)
{
	switch (format) {
	case PACKET_MARKDOWN: markdown(p, fp); break;
	case PACKET_HTML: html(p, fp); break;
	default: print_text(p, fp); break;
	}
}
