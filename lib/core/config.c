/* config.c - settings and config.json; see config.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "pure/ab.h"
#include "pure/eval.h"
#include "pure/rollout.h"
#include "diag.h"
#include "core/file.h"
#include "core/jsonl.h"
#include "banned.h"

#define CONFIG_FILE "config.json"
#define CONFIG_MAX_BYTES ((size_t)1 << 20)

/* An origin names the log in signed checkpoints: no spaces, no quotes. */
int config_origin_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 255)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '/' || c == '-'))
			return 0;
	}
	return 1;
}

/* A file path: no control characters; empty means unset. */
static int valid_path(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

static int valid_method(const char *s)
{
	return !strcmp(s, "page-hinkley") || !strcmp(s, "cusum");
}

/* ab.guardrails: "" or NAME:MARGIN,... (pure/ab.h). */
static int valid_guardrails(const char *s)
{
	struct ab_guard_spec spec[AB_GUARD_MAX];
	size_t n = 0;

	return ab_guard_parse(s, spec, AB_GUARD_MAX, &n) == 0;
}

/* model.analysis_metric: "" (none) or a metric name. */
static int valid_analysis_metric(const char *s)
{
	return !*s || eval_metric_valid(s);
}

static int valid_comparison(const char *s)
{
	enum rollout_comparison c;

	return rollout_comparison_parse(s, &c) == 0;
}

static const struct config_key known_keys[] = {
	{ "ab.alpha", CONFIG_NUMBER, 1e-6, 0.5, "0.05", NULL, NULL,
	  "1 - confidence level of every brain-ab interval and test", NULL },
	{ "ab.guardrails", CONFIG_STRING, 0, 0, "\"\"", valid_guardrails,
	  "NAME:MARGIN,... (names: a-z 0-9 _; margins in [0, 1])",
	  "guardrails a winner must not worsen by more than MARGIN (absolute rate)", NULL },
	{ "ab.horizon", CONFIG_INTEGER, 0, 1e15, "0", NULL, NULL,
	  "planned trials per arm: the interval is tuned to end there (0: always valid)", NULL },
	{ "ab.max_loss", CONFIG_NUMBER, 0, 1, "0.01", NULL, NULL,
	  "a winner's expected loss over the control's rate must be below this", NULL },
	{ "ab.min_conversions", CONFIG_INTEGER, 0, 1e15, "25", NULL, NULL,
	  "conversions every compared arm needs before a winner", NULL },
	{ "ab.min_trials", CONFIG_INTEGER, 0, 1e15, "100", NULL, NULL,
	  "trials every compared arm needs before a winner", NULL },
	{ "ab.srm_p", CONFIG_NUMBER, 0, 1, "0.001", NULL, NULL,
	  "sample-ratio mismatch is flagged below this chi-square p-value", NULL },
	{ "ab.tuning", CONFIG_NUMBER, 1, 1e12, "5000", NULL, NULL,
	  "planned total sample N* that tunes the always-valid interval", NULL },
	{ "audit.checkpoint_every", CONFIG_INTEGER, 0, 1e12, "0", NULL, NULL,
	  "sign a checkpoint every N records (0: only by brain-audit checkpoint)", NULL },
	{ "audit.checkpoint_key", CONFIG_STRING, 0, 0, "\"\"", valid_path,
	  "a path without control characters",
	  "Ed25519 private key file for automatic checkpoints (outside the state dir)", NULL },
	{ "audit.origin", CONFIG_STRING, 0, 0, "\"brain\"", config_origin_valid,
	  "1 to 255 of A-Z a-z 0-9 . _ / -",
	  "name of the audit log, written in its header and checkpoints", NULL },
	{ "contact.scrub_days_litigator", CONFIG_INTEGER, 0, 36500, "31", NULL, NULL,
	  "a litigator scrub older than this many days blocks phone and SMS (0: no limit)", NULL },
	{ "contact.scrub_days_national_dnc", CONFIG_INTEGER, 0, 36500, "31", NULL, NULL,
	  "a national Do-Not-Call scrub older than this many days blocks phone and SMS (0: no limit)",
	  NULL },
	{ "contact.scrub_days_reassigned", CONFIG_INTEGER, 0, 36500, "31", NULL, NULL,
	  "a reassigned-number scrub older than this many days blocks phone and SMS (0: no limit)",
	  NULL },
	{ "contact.scrub_days_state_dnc", CONFIG_INTEGER, 0, 36500, "31", NULL, NULL,
	  "a state Do-Not-Call scrub older than this many days blocks phone and SMS (0: no limit)",
	  NULL },
	{ "contact.windows_file", CONFIG_STRING, 0, 0, "\"\"", valid_path,
	  "a path without control characters",
	  "the calling windows of brain-packet contact-check (empty: the shipped file)", NULL },
	{ "eval.alpha", CONFIG_NUMBER, 1e-6, 0.5, "0.05", NULL, NULL,
	  "significance level of the Mann-Kendall trend test", NULL },
	{ "eval.cusum_h", CONFIG_NUMBER, 0, 1e12, "0", NULL, NULL,
	  "CUSUM alarm threshold in score units (0: 5 sd of the baseline half)", NULL },
	{ "eval.cusum_k", CONFIG_NUMBER, 0, 1e12, "0", NULL, NULL,
	  "CUSUM allowance in score units (0: 0.5 sd of the baseline half)", NULL },
	{ "eval.delta", CONFIG_NUMBER, 0, 1e12, "0", NULL, NULL,
	  "Page-Hinkley allowance per point in score units (0: 0.5 sd of the baseline half)", NULL },
	{ "eval.lambda", CONFIG_NUMBER, 0, 1e12, "0", NULL, NULL,
	  "Page-Hinkley alarm threshold in score units (0: 8 sd of the baseline half)", NULL },
	{ "eval.method", CONFIG_STRING, 0, 0, "\"page-hinkley\"", valid_method,
	  "page-hinkley or cusum", "the regression detector that brain-eval and brain-gate use", NULL },
	{ "gate.audit_intact", CONFIG_BOOL, 0, 0, "true", NULL, NULL,
	  "the gate 'audit_intact': the audit trail must verify", NULL },
	{ "gate.min_accuracy", CONFIG_NUMBER, 0, 1, "0.85", NULL, NULL,
	  "the gate 'accuracy': the clone's accuracy must be at least this", NULL },
	{ "gate.min_readiness", CONFIG_NUMBER, 0, 1, "0.8", NULL, NULL,
	  "retired: brain-gate refuses to run while it is set; readiness follows score.*",
	  "score.threshold and score.floor (brain-score's readiness rule)" },
	{ "gate.min_runs", CONFIG_INTEGER, 0, 1e9, "0", NULL, NULL,
	  "fewer runs behind the readiness (or a paired comparison) is no evidence (0: no minimum)",
	  NULL },
	{ "gate.no_compliance_failures", CONFIG_BOOL, 0, 0, "true", NULL, NULL,
	  "the gate 'no_compliance_failures': no compliance check may have failed", NULL },
	{ "gate.no_regression", CONFIG_BOOL, 0, 0, "true", NULL, NULL,
	  "the gate 'no_regression': brain-eval must see no regression of clone:<id>", NULL },
	{ "gate.require_compliance_evidence", CONFIG_BOOL, 0, 0, "false", NULL, NULL,
	  "with no compliance checks recorded, fail 'no_compliance_failures' (fail closed)", NULL },
	{ "input.max_line_bytes", CONFIG_INTEGER, 1024, 67108864, "1048576", NULL, NULL,
	  "longest input line accepted, in bytes", NULL },
	{ "lock.wait_seconds", CONFIG_NUMBER, 0, 31536000, "30", NULL, NULL,
	  "default of --wait: how long a writer waits for the state lock", NULL },
	{ "model.analysis_comparison", CONFIG_STRING, 0, 0, "\"difference\"", valid_comparison,
	  "difference or ratio",
	  "brain-model analyze: the canary's rate against the serving one's, as a difference or a ratio",
	  NULL },
	{ "model.analysis_confidence", CONFIG_NUMBER, 0.5, 0.999999, "0.95", NULL, NULL,
	  "brain-model analyze: confidence level of every interval", NULL },
	{ "model.analysis_failure_limit", CONFIG_INTEGER, 1, 1000, "1", NULL, NULL,
	  "brain-model analyze: failed analyses of a canary that abort it", NULL },
	{ "model.analysis_metric", CONFIG_STRING, 0, 0, "\"\"", valid_analysis_metric,
	  "empty or 1 to 128 of a-z 0-9 . _ : -",
	  "brain-model analyze: the metric a canary step is judged on (empty: --analysis=FILE only)",
	  NULL },
	{ "model.analysis_min_samples", CONFIG_INTEGER, 0, 9007199254740992.0, "100", NULL, NULL,
	  "brain-model analyze: trials each version needs before a step is judged", NULL },
	{ "model.analysis_threshold", CONFIG_NUMBER, 0, 1, "0.05", NULL, NULL,
	  "brain-model analyze: how much worse the canary may be (a drop in rate, or a share for ratio)",
	  NULL },
	{ "packet.arv_tolerance", CONFIG_NUMBER, 0, 10, "0.1", NULL, NULL,
	  "brain-packet warns when a lead's arv is more than this share off its comps' ARV", NULL },
	{ "packet.closing_rate", CONFIG_NUMBER, 0, 1, "0.03", NULL, NULL,
	  "the buyer's closing costs, as a share of ARV, when the lead gives none", NULL },
	{ "packet.comp_window_days", CONFIG_INTEGER, 1, 3650, "180", NULL, NULL,
	  "brain-packet warns of comps sold more than this many days before the packet", NULL },
	{ "packet.holding_rate", CONFIG_NUMBER, 0, 1, "0.04", NULL, NULL,
	  "the buyer's holding costs, as a share of ARV, when the lead gives none", NULL },
	{ "packet.outlier_share", CONFIG_NUMBER, 0.01, 10, "0.25", NULL, NULL,
	  "a comp whose $/sqft is more than this share off the median is an outlier", NULL },
	{ "packet.rule", CONFIG_NUMBER, 0.01, 1, "0.7", NULL, NULL,
	  "default of --rule: the share of ARV a buyer pays for house and repairs", NULL },
	{ "packet.selling_rate", CONFIG_NUMBER, 0, 1, "0.08", NULL, NULL,
	  "the buyer's selling costs, as a share of ARV, when the lead gives none", NULL },
	{ "promote.consecutive", CONFIG_INTEGER, 1, 1000, "1", NULL, NULL,
	  "qualifying evaluations in a row before a script moves", NULL },
	{ "promote.cooldown_hours", CONFIG_NUMBER, 0, 87600, "0", NULL, NULL,
	  "hours after a change during which a script holds (the floor excepted)", NULL },
	{ "promote.demote_below", CONFIG_NUMBER, 0, 1, "0.7", NULL, NULL,
	  "a performance below this demotes a script one step", NULL },
	{ "promote.floor", CONFIG_NUMBER, 0, 1, "0.5", NULL, NULL,
	  "a performance below this demotes at once, whatever the streak or cool-down", NULL },
	{ "promote.min_samples", CONFIG_INTEGER, 0, 1e12, "0", NULL, NULL,
	  "evaluations with fewer samples hold", NULL },
	{ "promote.promote_at", CONFIG_NUMBER, 0, 1, "0.85", NULL, NULL,
	  "a performance at or above this promotes a script one step", NULL },
	{ "promote.require_evidence", CONFIG_BOOL, 0, 0, "false", NULL, NULL,
	  "move scripts on brain-ab's always-valid interval against the control, not the rate", NULL },
	{ "score.floor", CONFIG_NUMBER, 0, 1, "0.7", NULL, NULL,
	  "a readiness component below this vetoes readiness", NULL },
	{ "score.threshold", CONFIG_NUMBER, 0, 1, "0.85", NULL, NULL,
	  "a clone is ready at or above this weighted score", NULL },
};

#define N_KEYS (sizeof(known_keys) / sizeof(known_keys[0]))

const struct config_key *config_keys(size_t *count)
{
	*count = N_KEYS;
	return known_keys;
}

const struct config_key *config_lookup(const char *key)
{
	for (size_t i = 0; i < N_KEYS; i++)
		if (!strcmp(known_keys[i].key, key))
			return &known_keys[i];
	return NULL;
}

enum brain_status config_check(const struct config_key *k, const cJSON *value,
			       enum brain_status status, const char *where)
{
	const char *prefix = where ? where : "";
	const char *sep = where ? ": " : "";
	double v;

	switch (k->type) {
	case CONFIG_NUMBER:
	case CONFIG_INTEGER:
		if (!cJSON_IsNumber(value))
			break;
		v = value->valuedouble;
		if (!isfinite(v) || v < k->min || v > k->max ||
		    (k->type == CONFIG_INTEGER && v != floor(v)))
			break;
		return BRAIN_OK;
	case CONFIG_BOOL:
		if (cJSON_IsBool(value))
			return BRAIN_OK;
		break;
	case CONFIG_STRING:
		if (cJSON_IsString(value) && (!k->valid || k->valid(value->valuestring)))
			return BRAIN_OK;
		break;
	}
	switch (k->type) {
	case CONFIG_NUMBER:
		return diag_error(status, "%s%ssetting '%s' must be a number from %.15g to %.15g",
				  prefix, sep, k->key, k->min, k->max);
	case CONFIG_INTEGER:
		return diag_error(status, "%s%ssetting '%s' must be an integer from %.15g to %.15g",
				  prefix, sep, k->key, k->min, k->max);
	case CONFIG_BOOL:
		return diag_error(status, "%s%ssetting '%s' must be true or false",
				  prefix, sep, k->key);
	case CONFIG_STRING:
		break;
	}
	return diag_error(status, "%s%ssetting '%s' must be a string%s%s", prefix, sep,
			  k->key, k->valid_text ? " of " : "",
			  k->valid_text ? k->valid_text : "");
}

/* True when some known key starts with prefix followed by '.'. */
static int is_group(const char *prefix)
{
	size_t n = strlen(prefix);

	for (size_t i = 0; i < N_KEYS; i++)
		if (!strncmp(known_keys[i].key, prefix, n) && known_keys[i].key[n] == '.')
			return 1;
	return 0;
}

/* Check every member of obj, whose dotted path is prefix ("" at the top). */
static enum brain_status validate(const cJSON *obj, const char *prefix)
{
	for (const cJSON *m = obj->child; m; m = m->next) {
		char path[512];
		const struct config_key *k;
		enum brain_status status;

		snprintf(path, sizeof(path), "%s%s%s", prefix, *prefix ? "." : "", m->string);
		k = config_lookup(path);
		if (strchr(m->string, '.'))
			status = diag_error(BRAIN_STATE, CONFIG_FILE ": key '%s' must be written as "
					    "nested objects, not with a dot", path);
		else if (k)
			status = config_check(k, m, BRAIN_STATE, CONFIG_FILE);
		else if (is_group(path) && cJSON_IsObject(m))
			status = validate(m, path);
		else if (is_group(path))
			status = diag_error(BRAIN_STATE, CONFIG_FILE ": '%s' must be an object",
					    path);
		else
			status = diag_error(BRAIN_STATE, CONFIG_FILE ": unknown key '%s'", path);
		if (status)
			return status;
	}
	return BRAIN_OK;
}

static cJSON *build_defaults(void)
{
	cJSON *d = cJSON_CreateObject();

	for (size_t i = 0; i < N_KEYS; i++) {
		cJSON *v = cJSON_Parse(known_keys[i].default_json);

		if (!v)
			abort(); /* the table itself is wrong */
		cJSON_AddItemToObject(d, known_keys[i].key, v);
	}
	return d;
}

enum brain_status config_load(int dirfd, struct config **out)
{
	struct config *cfg = xcalloc(1, sizeof(*cfg));
	enum brain_status status = BRAIN_NO;
	char *text = NULL;
	size_t len = 0;

	*out = NULL;
	cfg->defaults = build_defaults();
	if (dirfd >= 0)
		status = file_read_all(dirfd, CONFIG_FILE, CONFIG_MAX_BYTES, &text, &len);
	if (status == BRAIN_NO) {
		cfg->file = cJSON_CreateObject();
		*out = cfg;
		return BRAIN_OK;
	}
	if (status) {
		config_free(cfg);
		return status;
	}
	struct json_loc loc = { CONFIG_FILE, 0 };
	/* The whole file is one object; json_parse_line checks UTF-8, trailing
	 * bytes and duplicate members the same way as for input lines. */
	status = json_parse_line(text, len, &loc, &cfg->file);
	free(text);
	if (status) {
		config_free(cfg);
		return BRAIN_STATE;
	}
	if ((status = validate(cfg->file, ""))) {
		config_free(cfg);
		return status;
	}
	*out = cfg;
	return BRAIN_OK;
}

void config_free(struct config *cfg)
{
	if (!cfg)
		return;
	cJSON_Delete(cfg->file);
	cJSON_Delete(cfg->defaults);
	free(cfg);
}

/* The member at a dotted path inside obj, or NULL. */
static cJSON *find_path(const cJSON *obj, const char *key)
{
	char part[256];
	const char *p = key;
	cJSON *cur = (cJSON *)obj;

	while (cur && *p) {
		size_t n = strcspn(p, ".");

		if (n >= sizeof(part))
			return NULL;
		memcpy(part, p, n);
		part[n] = '\0';
		cur = cJSON_IsObject(cur) ? cJSON_GetObjectItemCaseSensitive(cur, part) : NULL;
		p += n + (p[n] == '.');
	}
	return cur;
}

static const struct config_key *known_or_abort(const char *key)
{
	const struct config_key *k = config_lookup(key);

	if (!k) {
		diag_error(BRAIN_IO, "internal error: unknown setting '%s'", key);
		abort();
	}
	return k;
}

const cJSON *config_default(const struct config *cfg, const char *key)
{
	known_or_abort(key);
	return cJSON_GetObjectItemCaseSensitive(cfg->defaults, key);
}

const cJSON *config_value(const struct config *cfg, const char *key, int *from_file)
{
	const cJSON *v = find_path(cfg->file, key);

	known_or_abort(key);
	if (from_file)
		*from_file = v != NULL;
	return v ? v : config_default(cfg, key);
}

double config_number(const struct config *cfg, const char *key)
{
	return config_value(cfg, key, NULL)->valuedouble;
}

int64_t config_int(const struct config *cfg, const char *key)
{
	return (int64_t)config_value(cfg, key, NULL)->valuedouble;
}

int config_bool(const struct config *cfg, const char *key)
{
	return cJSON_IsTrue(config_value(cfg, key, NULL));
}

const char *config_string(const struct config *cfg, const char *key)
{
	return config_value(cfg, key, NULL)->valuestring;
}

enum brain_status config_set(struct config *cfg, const char *key, const cJSON *value)
{
	const struct config_key *k = config_lookup(key);
	char part[256];
	const char *p = key;
	cJSON *cur = cfg->file;
	enum brain_status status;

	if (!k)
		return diag_error(BRAIN_DATA, "unknown setting '%s' (see 'brain config show')",
				  key);
	if ((status = config_check(k, value, BRAIN_DATA, NULL)))
		return status;
	for (;;) {
		size_t n = strcspn(p, ".");
		cJSON *next;

		memcpy(part, p, n);
		part[n] = '\0';
		if (!p[n]) {
			cJSON_DeleteItemFromObjectCaseSensitive(cur, part);
			cJSON_AddItemToObject(cur, part, cJSON_Duplicate(value, 1));
			return BRAIN_OK;
		}
		next = cJSON_GetObjectItemCaseSensitive(cur, part);
		if (!next) {
			next = cJSON_CreateObject();
			cJSON_AddItemToObject(cur, part, next);
		}
		cur = next;
		p += n + 1;
	}
}

/* Remove empty groups left behind by an unset. */
static void prune(cJSON *obj)
{
	cJSON *m = obj->child;

	while (m) {
		cJSON *next = m->next;

		if (cJSON_IsObject(m)) {
			prune(m);
			if (!m->child)
				cJSON_Delete(cJSON_DetachItemViaPointer(obj, m));
		}
		m = next;
	}
}

enum brain_status config_unset(struct config *cfg, const char *key)
{
	char *parent_key;
	char *dot;
	cJSON *parent;

	if (!config_lookup(key))
		return diag_error(BRAIN_DATA, "unknown setting '%s' (see 'brain config show')",
				  key);
	parent_key = xstrdup(key);
	dot = strrchr(parent_key, '.');
	if (dot) {
		*dot = '\0';
		parent = find_path(cfg->file, parent_key);
	} else {
		parent = cfg->file;
	}
	if (parent && cJSON_IsObject(parent))
		cJSON_DeleteItemFromObjectCaseSensitive(parent, dot ? dot + 1 : key);
	free(parent_key);
	prune(cfg->file);
	return BRAIN_OK;
}

enum brain_status config_write(const struct config *cfg, int dirfd)
{
	char *text = json_print_indented(cfg->file);
	enum brain_status status;
	size_t n;

	if (!text)
		diag_oom();
	n = strlen(text);
	text = xrealloc(text, n + 2);
	text[n] = '\n';
	status = file_replace(dirfd, CONFIG_FILE, text, n + 1);
	free(text);
	return status;
}
