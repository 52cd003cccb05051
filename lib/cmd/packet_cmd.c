/* packet_cmd.c - deal packets; see packet_cmd.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pure/ab.h"
#include "core/ab_store.h"
#include "core/audit.h"
#include "core/clock.h"
#include "core/config.h"
#include "pure/deal.h"
#include "core/change.h"
#include "cmd/command.h"
#include "diag.h"
#include "core/file.h"
#include "pure/hash.h"
#include "pure/ident.h"
#include "core/ingest_store.h"
#include "core/contact_check.h"
#include "pure/compliance.h"
#include "core/jsonl.h"
#include "pure/keyset.h"
#include "cmd/packet_cmd.h"
#include "cmd/render.h"
#include "pure/json.h"
#include "core/script_store.h"
#include "cmd/table.h"
#include "banned.h"

/* Add name to list unless it is there (in any case): 1 when added. */
static int add_unique(cJSON *list, const char *name)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, list) {
		if (!strcasecmp(e->valuestring, name))
			return 0;
	}
	cJSON_AddItemToArray(list, cJSON_CreateString(name));
	return 1;
}

/* add_unique, and the label of what put it there in labels (NULL: no
 * labels kept), at the same index. */
static void add_labelled(cJSON *list, cJSON *labels, const char *name, const char *label)
{
	if (add_unique(list, name) && labels)
		cJSON_AddItemToArray(labels, cJSON_CreateString(label));
}

/* The arms not yet in list, by P(best), highest first (by name on a tie:
 * arms come sorted by name). */
static void add_ranked(cJSON *list, const struct ab_arm *arms, const struct ab_result *res,
		       size_t n)
{
	size_t *order = xcalloc(n, sizeof(*order));

	for (size_t i = 0; i < n; i++) {
		size_t j = i;

		while (j > 0 && res[order[j - 1]].prob_best < res[i].prob_best) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
	for (size_t i = 0; i < n; i++)
		add_unique(list, arms[order[i]].name);
	free(order);
}

/* The label of today's verdict on an arm: "brain-ab winner", or "brain-ab
 * leader, not yet a winner" (and the guardrail that holds it back). */
static void verdict_label(const struct ab_decision *d, char *buf, size_t size)
{
	snprintf(buf, size, "brain-ab %s%s%s", d->outcome == AB_WINNER ? "winner" :
		 "leader, not yet a winner", d->outcome == AB_GUARDRAIL ? "; held back by "
		 "guardrail " : "", d->outcome == AB_GUARDRAIL ? d->guard : "");
}

/* What brain-ab says of a kind: the winner on record (decisions stick:
 * one today's data no longer supports is still the one recommended, said
 * so), then today's winner or leader when it is another arm, under
 * config.json's thresholds.  Appended to list (with each one's label in
 * labels, when not NULL), described in basis. */
static enum brain_status ab_recommend(struct state *st, const char *experiment, const char *kind,
				      cJSON *list, cJSON *labels, char *basis, size_t size)
{
	struct ab_set s;
	struct ab_options o;
	enum brain_status status;
	size_t n, used = strlen(basis);
	struct config *cfg = NULL;
	char label[128];
	int exists;

	/* The rule brain-ab winner applies: a guardrail's veto or a horizon
	 * in config.json is the recommendation's too. */
	ab_options_default(&o);
	if (!(status = ab_load(st, experiment, &s, &exists)) &&
	    !(status = config_load(st->dirfd, &cfg)))
		status = ab_config_rule(cfg, &s, kind, &o);
	config_free(cfg);
	if (status) {
		ab_set_free(&s);
		return status;
	}
	struct ab_arm *arms = ab_set_arms(&s, kind, &n);
	const struct ab_decided *dd = ab_set_decided(&s, kind);

	if (n >= 2) {
		struct ab_result *res = xcalloc(n, sizeof(*res));
		struct ab_decision d;
		ab_analyze(arms, n, &o, res);
		ab_decide(arms, n, res, &o, &d);
		if (dd) {
			int holds = ab_decided_holds(dd, arms, n, &d);

			snprintf(label, sizeof(label), "brain-ab winner%s", holds ||
				 dd->concluded_at[0] ? "" : "; reversed: today's data no longer "
				 "supports it");
			add_labelled(list, labels, dd->variant, label);
			snprintf(basis + used, size - used, "%sbrain-ab winner '%s' (experiment %s, "
				 "%s at %s%s)", used ? "; " : "", dd->variant, s.experiment,
				 dd->concluded_at[0] ? "concluded" : "decided",
				 dd->concluded_at[0] ? dd->concluded_at : dd->decided_at,
				 holds || dd->concluded_at[0] ? ""
				 : "; reversed: today's data no longer supports it");
			used = strlen(basis);
		}
		/* Today's verdict, when it names an arm the record does not. */
		if (d.arm >= 0 && (!dd || strcasecmp(dd->variant, arms[d.arm].name))) {
			verdict_label(&d, label, sizeof(label));
			add_labelled(list, labels, arms[d.arm].name, label);
			snprintf(basis + used, size - used, "%sbrain-ab %s '%s' (experiment %s%s%s)",
				 used ? "; " : "", d.outcome == AB_WINNER ? "winner" :
				 "leader, not yet a winner:", arms[d.arm].name, s.experiment,
				 d.outcome == AB_GUARDRAIL ? "; held back by guardrail " : "",
				 d.outcome == AB_GUARDRAIL ? d.guard : "");
		}
		/* Channels ranked: the others after it by P(best), so that a lead
		 * that may not be reached on the first gets the next allowed. */
		if (!strcmp(kind, "channel"))
			add_ranked(list, arms, res, n);
		free(res);
	}
	free(arms);
	ab_set_free(&s);
	return BRAIN_OK;
}

/* Scripts (ranked: brain-ab's winner, its leader, then brain-promote's
 * active scripts; each one's label in script_labels) and channels from
 * live state when not given. */
static enum brain_status recommend(struct state *st, const struct packet_args *a, cJSON *scripts,
				   cJSON *script_labels, cJSON *channels, cJSON *basis)
{
	char sb[512] = "", cb[512] = "";
	enum brain_status status;
	char **names;
	size_t n;

	if (a->nscripts) {
		for (size_t i = 0; i < a->nscripts; i++)
			add_labelled(scripts, script_labels, a->scripts[i], "given");
		snprintf(sb, sizeof(sb), "given");
	} else if (st) {
		if ((status = ab_recommend(st, a->experiment, "script", scripts, script_labels,
					   sb, sizeof(sb))) ||
		    (status = script_store_names(st, 1, &names, &n)))
			return status;
		for (size_t i = 0; i < n; i++) {
			size_t used = strlen(sb);

			add_labelled(scripts, script_labels, names[i], "brain-promote active");
			snprintf(sb + used, sizeof(sb) - used, "%sbrain-promote active '%s'",
				 used ? "; " : "", names[i]);
			free(names[i]);
		}
		free(names);
	}
	if (a->nchannels) {
		for (size_t i = 0; i < a->nchannels; i++)
			add_unique(channels, a->channels[i]);
		snprintf(cb, sizeof(cb), "given");
	} else if (st && (status = ab_recommend(st, a->experiment, "channel", channels, NULL, cb,
						sizeof(cb)))) {
		return status;
	}
	cJSON_AddStringToObject(basis, "scripts", *sb ? sb : "none: no scripts given, no winner or active script");
	/* Scripts are not filtered per lead: the first ranked is the one. */
	cJSON_AddStringToObject(basis, "script", cJSON_IsString(script_labels->child) ?
				script_labels->child->valuestring : "none");
	cJSON_AddStringToObject(basis, "channels", *cb ? cb : "none: no channels given, no winner");
	return BRAIN_OK;
}

/* Remove the channels the lead may not be reached on, with a warning
 * naming the rule for each: the evidence of pure/compliance.h, with what
 * the suppression list keeps of the lead's phone and email. */
static void filter_channels(struct ingest_suppression *supp, const int *scrub_days,
			    const cJSON *lead, struct compliance *ev, time_t now, cJSON *channels,
			    cJSON *warnings)
{
	char why[COMPLIANCE_WHY_SIZE], text[COMPLIANCE_WHY_SIZE + 64];
	cJSON *c = channels->child;
	int i = 0;

	if (!ev->present && channels->child)
		cJSON_AddItemToArray(warnings, cJSON_CreateString(
			"the lead carries no compliance data (phone, dnc, consent, opt_out): "
			"check consent and the Do-Not-Call list before any call or text"));
	if (ev->present)
		contact_check_listing(supp, lead, ev);
	compliance_set_scrub_days(ev, scrub_days);
	while (c) {
		cJSON *next = c->next;
		int k = contact_channel_guess(c->valuestring);

		if (ev->present && k >= 0 &&
		    compliance_blocks(ev, (enum contact_channel)k, now, COMPLIANCE_NEED_CONSENT,
				      why, sizeof(why))) {
			snprintf(text, sizeof(text), "channel '%s' removed: %s", c->valuestring, why);
			cJSON_AddItemToArray(warnings, cJSON_CreateString(text));
			cJSON_DeleteItemFromArray(channels, i);
		} else {
			i++;
		}
		c = next;
	}
}

/* The packet id: the SHA-256 of {"lead":LEAD,"scripts":[...],"channels":
 * [...],"rule":R,"fee":F,"experiment":E} printed compact, LEAD the lead's
 * line as a string, and "settings":{...} before the end when a packet.*
 * setting other than the rule is not its default.  All but the lead is
 * the same for a whole batch: its text after the lead (id_tail) is
 * printed once. */
static char *packet_id_tail(const struct packet_args *a, const struct deal_settings *set)
{
	cJSON *o = cJSON_CreateObject(), *s = cJSON_CreateArray(), *c = cJSON_CreateArray();
	struct deal_settings def;
	char *text, *tail;

	for (size_t i = 0; i < a->nscripts; i++)
		cJSON_AddItemToArray(s, cJSON_CreateString(a->scripts[i]));
	for (size_t i = 0; i < a->nchannels; i++)
		cJSON_AddItemToArray(c, cJSON_CreateString(a->channels[i]));
	cJSON_AddStringToObject(o, "lead", "");
	cJSON_AddItemToObject(o, "scripts", s);
	cJSON_AddItemToObject(o, "channels", c);
	cJSON_AddNumberToObject(o, "rule", set->rule);
	cJSON_AddNumberToObject(o, "fee", set->fee);
	cJSON_AddStringToObject(o, "experiment", a->experiment);
	deal_settings_default(&def);
	def.rule = set->rule;
	def.fee = set->fee;
	/* Field by field: the struct's padding bytes are not set by anyone. */
	if (!deal_settings_equal(&def, set)) {
		cJSON *k = cJSON_AddObjectToObject(o, "settings");

		cJSON_AddNumberToObject(k, "closing_rate", set->closing_rate);
		cJSON_AddNumberToObject(k, "holding_rate", set->holding_rate);
		cJSON_AddNumberToObject(k, "selling_rate", set->selling_rate);
		cJSON_AddNumberToObject(k, "outlier_share", set->outlier_share);
		cJSON_AddNumberToObject(k, "arv_tolerance", set->arv_tolerance);
		cJSON_AddNumberToObject(k, "comp_window_days", set->comp_window_days);
	}
	text = json_print_compact(o);
	tail = xstrdup(text + strlen("{\"lead\":\"\""));
	free(text);
	cJSON_Delete(o);
	return tail;
}

static void packet_id(const char *lead_text, const char *tail, char out[20])
{
	cJSON *lead = cJSON_CreateString(lead_text);
	char *quoted = json_print_compact(lead), hex[65];
	struct hash_stream h;

	hash_stream_begin(&h);
	hash_stream_add(&h, "{\"lead\":", strlen("{\"lead\":"));
	hash_stream_add(&h, quoted, strlen(quoted));
	hash_stream_add(&h, tail, strlen(tail));
	hash_stream_end(&h, hex);
	hash_stream_free(&h);
	snprintf(out, 20, "pk-%.16s", hex);
	free(quoted);
	cJSON_Delete(lead);
}

/* What every packet of a batch shares: the recommendation from live
 * state (read once, not per lead) and the suppression list. */
struct packet_common {
	cJSON *scripts, *channels, *basis;
	cJSON *script_labels;          /* what put each of scripts there */
	char *id_tail;                 /* see packet_id */
	struct ingest_suppression supp;
	struct deal_settings set;      /* the options over config.json's packet.* */
	int scrub_days[SCRUB_KINDS];   /* config.json's contact.scrub_days_* */
	time_t now;
};

/* The deal settings: config.json's packet.*, under --rule and --fee;
 * and the limits of the scrubs' age (contact.scrub_days_*). */
static enum brain_status settings_load(struct state *st, const struct packet_args *a,
				       struct deal_settings *set, int scrub_days[SCRUB_KINDS])
{
	struct config *cfg;
	enum brain_status status;

	deal_settings_default(set);
	if ((status = config_load(st ? st->dirfd : -1, &cfg)))
		return status;
	set->rule = a->rule > 0 ? a->rule : config_number(cfg, "packet.rule");
	set->fee = a->fee;
	set->closing_rate = config_number(cfg, "packet.closing_rate");
	set->holding_rate = config_number(cfg, "packet.holding_rate");
	set->selling_rate = config_number(cfg, "packet.selling_rate");
	set->outlier_share = config_number(cfg, "packet.outlier_share");
	set->arv_tolerance = config_number(cfg, "packet.arv_tolerance");
	set->comp_window_days = (int)config_int(cfg, "packet.comp_window_days");
	contact_check_scrub_days(cfg, scrub_days);
	config_free(cfg);
	return BRAIN_OK;
}

static enum brain_status common_init(struct packet_common *pc, struct state *st,
				     const struct packet_args *a, time_t now)
{
	enum brain_status status = settings_load(st, a, &pc->set, pc->scrub_days);

	pc->scripts = cJSON_CreateArray();
	pc->script_labels = cJSON_CreateArray();
	pc->channels = cJSON_CreateArray();
	pc->basis = cJSON_CreateObject();
	pc->id_tail = packet_id_tail(a, &pc->set);
	pc->now = now;
	ingest_suppression_load(st ? st->dirfd : -1, &pc->supp);
	return status ? status : recommend(st, a, pc->scripts, pc->script_labels, pc->channels,
					   pc->basis);
}

static void common_free(struct packet_common *pc)
{
	cJSON_Delete(pc->scripts);
	cJSON_Delete(pc->script_labels);
	cJSON_Delete(pc->channels);
	cJSON_Delete(pc->basis);
	free(pc->id_tail);
	ingest_suppression_free(&pc->supp);
}

/* "channel": the first allowed of the ranked channels; null, with a
 * warning, when the recommendation had some and none is allowed. */
static void add_channel_choice(cJSON *p, const cJSON *allowed, const cJSON *ranked,
			       cJSON *warnings)
{
	if (cJSON_IsString(allowed->child)) {
		cJSON_AddStringToObject(p, "channel", allowed->child->valuestring);
		return;
	}
	cJSON_AddNullToObject(p, "channel");
	if (ranked->child)
		cJSON_AddItemToArray(warnings, cJSON_CreateString(
			"no channel allowed: every recommended channel was removed for this lead"));
}


/* The property facts a lead gives, kept as given, and its comps with
 * each one's price per square foot and whether it is an outlier. */
static void add_property(cJSON *p, const cJSON *lead, const struct deal_input *in)
{
	static const char *const facts[] = { "address", "city", "state", "zip", "type", "beds",
		"baths", "sqft", "lot_sqft", "year_built", "occupancy", "condition", "access" };
	const cJSON *comps = cJSON_GetObjectItemCaseSensitive(lead, "comps"), *c;
	cJSON *prop = cJSON_CreateObject(), *out;
	size_t k = 0;

	for (size_t i = 0; i < sizeof(facts) / sizeof(*facts); i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(lead, facts[i]);

		if (v && !cJSON_IsNull(v))
			cJSON_AddItemToObject(prop, facts[i], cJSON_Duplicate(v, 1));
	}
	if (prop->child)
		cJSON_AddItemToObject(p, "property", prop);
	else
		cJSON_Delete(prop);
	if (!cJSON_IsArray(comps) || !comps->child)
		return;
	out = cJSON_AddArrayToObject(p, "comps");
	cJSON_ArrayForEach(c, comps) {
		cJSON *o = cJSON_Duplicate(c, 1);
		const cJSON *price = cJSON_GetObjectItemCaseSensitive(c, "price");
		const cJSON *sqft = cJSON_GetObjectItemCaseSensitive(c, "sqft");

		cJSON_DeleteItemFromObjectCaseSensitive(o, "price_per_sqft");
		if (cJSON_IsNumber(price) && cJSON_IsNumber(sqft) && sqft->valuedouble > 0)
			cJSON_AddNumberToObject(o, "price_per_sqft",
						round(price->valuedouble / sqft->valuedouble * 100) / 100);
		cJSON_DeleteItemFromObjectCaseSensitive(o, "outlier");
		cJSON_AddBoolToObject(o, "outlier", k < in->ncomps && in->comps[k].outlier);
		cJSON_AddItemToArray(out, o);
		k++;
	}
}

static enum brain_status build_one(struct packet_common *pc,
				   const cJSON *lead, const char *lead_text,
				   const struct json_loc *loc, cJSON **out)
{
	enum brain_status status;
	struct deal_input in;
	const char *name = NULL, *terms = NULL;
	double value = 0;
	int has_value = cJSON_HasObjectItem(lead, "value");
	cJSON *p, *channels, *warnings, *deal;
	char id[20], created[TIME_TEXT_SIZE];
	struct compliance ev;

	*out = NULL;
	if ((status = json_get_string(lead, "name", JSON_REQUIRED, loc, &name)) ||
	    (status = json_get_number(lead, "value", JSON_OPTIONAL, loc, 0, 1e13, &value)) ||
	    (status = json_get_string(lead, "terms", JSON_OPTIONAL, loc, &terms)) ||
	    (status = deal_read(lead, loc, &pc->set, pc->now, &in)))
		return status;
	if ((status = compliance_read(lead, loc, 0, &ev))) {
		compliance_free(&ev);
		return status;
	}
	warnings = cJSON_CreateArray();
	channels = cJSON_Duplicate(pc->channels, 1);
	deal = deal_compute(&in, warnings);
	filter_channels(&pc->supp, pc->scrub_days, lead, &ev, pc->now, channels, warnings);
	compliance_free(&ev);
	packet_id(lead_text, pc->id_tail, id);
	time_text_format(pc->now, created);
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "packet_id", id);
	cJSON_AddStringToObject(p, "lead_name", name);
	if (has_value)
		cJSON_AddNumberToObject(p, "deal_value", value);
	else if (deal && cJSON_HasObjectItem(deal, "contract_price"))
		cJSON_AddItemToObject(p, "deal_value", cJSON_Duplicate(
			cJSON_GetObjectItemCaseSensitive(deal, "contract_price"), 0));
	else
		cJSON_AddNullToObject(p, "deal_value");
	if (terms)
		cJSON_AddStringToObject(p, "terms", terms);
	else
		cJSON_AddNullToObject(p, "terms");
	add_property(p, lead, &in);
	cJSON_AddItemToObject(p, "scripts", cJSON_Duplicate(pc->scripts, 1));
	if (cJSON_IsString(pc->scripts->child))
		cJSON_AddStringToObject(p, "script", pc->scripts->child->valuestring);
	else
		cJSON_AddNullToObject(p, "script");
	cJSON_AddItemToObject(p, "channels", channels);
	add_channel_choice(p, channels, pc->channels, warnings);
	cJSON_AddItemToObject(p, "recommendation_basis", cJSON_Duplicate(pc->basis, 1));
	cJSON_AddItemToObject(p, "deal", deal ? deal : cJSON_CreateObject());
	cJSON_AddItemToObject(p, "warnings", warnings);
	cJSON_AddStringToObject(p, "created", created);
	*out = p;
	return BRAIN_OK;
}

static enum brain_status load_packet(int dirfd, const char *id, cJSON **out)
{
	char path[64], *text;
	size_t len;
	enum brain_status status;

	*out = NULL;
	if (!ident_valid_packet(id))
		return diag_error(BRAIN_DATA, "invalid packet id '%s'", id);
	snprintf(path, sizeof(path), "packets/%s.json", id);
	status = file_read_all(dirfd, path, (size_t)1 << 24, &text, &len);
	if (status == BRAIN_NO)
		return BRAIN_NO;
	if (status)
		return status;
	*out = cJSON_ParseWithLength(text, len);
	free(text);
	if (!cJSON_IsObject(*out)) {
		cJSON_Delete(*out);
		*out = NULL;
		return diag_error(BRAIN_STATE, "%s is corrupt", path);
	}
	return BRAIN_OK;
}

int ident_valid_packet(const char *id)
{
	if (strlen(id) != 19 || strncmp(id, "pk-", 3))
		return 0;
	return strspn(id + 3, "0123456789abcdef") == 16;
}

/* A batch of new packets, stored as one change: every packet file and
 * its packet.build record land together (one journal, a few syncs), or
 * none does.  Packets are written to their temporaries as they are built,
 * and their output lines to an unnamed temporary file that goes to stdout
 * once the change is committed; what is held per packet is its id and its
 * audit details. */
struct packet_batch {
	struct state *st;
	int dirfd;                    /* packets/, or -1 before the first */
	struct change c;
	struct file_replace **fr;
	cJSON **details;
	char (*staged)[20];           /* ids of the new packets */
	size_t nstaged;
	FILE *out;                    /* the output, until the commit */
	struct keyset seen;           /* ids of this batch */
};

static void batch_init(struct packet_batch *b, struct state *st)
{
	memset(b, 0, sizeof(*b));
	b->st = st;
	b->dirfd = -1;
	if (st)
		change_init(&b->c, st);
	keyset_init(&b->seen);
}

static void batch_free(struct packet_batch *b)
{
	for (size_t i = 0; i < b->nstaged; i++) {
		cJSON_Delete(b->details[i]);
		free(b->fr[i]);
	}
	free(b->fr);
	free(b->details);
	free(b->staged);
	if (b->out)
		fclose(b->out);
	keyset_free(&b->seen);
	if (b->dirfd >= 0)
		close(b->dirfd);
}

static void id_key(const char *id, unsigned char key[KEYSET_KEY])
{
	keyset_key("packet", id, NULL, key);
}

static int ident_stored(const struct packet_batch *b, const char *id)
{
	struct stat sb;
	char name[64];

	snprintf(name, sizeof(name), "packets/%s.json", id);
	return fstatat(b->st->dirfd, name, &sb, AT_SYMLINK_NOFOLLOW) == 0;
}

/* Write p to a temporary for packets/ID.json, with its record's details. */
static enum brain_status batch_stage(struct packet_batch *b, const cJSON *p, const char *id)
{
	struct file_replace *fr = xcalloc(1, sizeof(*fr));
	enum brain_status status;
	char name[32], *text;
	cJSON *details;

	if (b->dirfd < 0 && (status = state_subdir(b->st, "packets", 1, &b->dirfd)))
		return free(fr), status;
	snprintf(name, sizeof(name), "%s.json", id);
	if ((status = file_replace_begin(fr, b->dirfd, name)))
		return free(fr), status;
	text = json_print_indented(p);
	fputs(text, fr->fp);
	fputc('\n', fr->fp);
	free(text);
	if ((status = file_replace_close(fr)))
		return free(fr), status;
	change_replace(&b->c, "packets", fr);
	details = cJSON_CreateObject();
	cJSON_AddStringToObject(details, "lead_name",
				cJSON_GetObjectItemCaseSensitive(p, "lead_name")->valuestring);
	cJSON_AddItemToObject(details, "scripts", cJSON_Duplicate(
		cJSON_GetObjectItemCaseSensitive(p, "scripts"), 1));
	cJSON_AddItemToObject(details, "channels", cJSON_Duplicate(
		cJSON_GetObjectItemCaseSensitive(p, "channels"), 1));
	b->fr = xrealloc(b->fr, (b->nstaged + 1) * sizeof(*b->fr));
	b->details = xrealloc(b->details, (b->nstaged + 1) * sizeof(*b->details));
	b->staged = xrealloc(b->staged, (b->nstaged + 1) * sizeof(*b->staged));
	b->fr[b->nstaged] = fr;
	b->details[b->nstaged] = details;
	memcpy(b->staged[b->nstaged++], id, 20);
	return BRAIN_OK;
}

static enum brain_status print_packet(const struct packet_args *a, const cJSON *p, FILE *fp)
{
	enum brain_status status = BRAIN_OK;
	cJSON *view = a->buyer ? packet_buyer_view(p) : NULL;

	if (view)
		p = view;
	if (a->format == PACKET_TEXT)
		packet_render(p, PACKET_TEXT, fp);
	else
		status = jsonl_write(fp, p);
	cJSON_Delete(view);
	return status;
}

/* A dry run (or one without state) prints as it goes: the stored packet
 * of a lead built before, else the one just built. */
static enum brain_status print_built(const struct packet_batch *b, const struct packet_args *a,
				     const cJSON *p, FILE *fp)
{
	const char *id = cJSON_GetObjectItemCaseSensitive(p, "packet_id")->valuestring;
	enum brain_status status;
	cJSON *stored = NULL;

	if (!b->st || load_packet(b->st->dirfd, id, &stored) != BRAIN_OK || !stored)
		return print_packet(a, p, fp);
	status = print_packet(a, stored, fp);
	cJSON_Delete(stored);
	return status;
}

/* A packet built from one lead: stored already (the same lead and options
 * again: the packet of the first time), staged earlier in this batch, or
 * new (staged now); its line goes to the batch's output. */
static enum brain_status batch_add(struct packet_batch *b, const struct packet_args *a,
				   const cJSON *p)
{
	const char *id = cJSON_GetObjectItemCaseSensitive(p, "packet_id")->valuestring;
	enum brain_status status;
	unsigned char key[KEYSET_KEY];

	if (!b->out) {
		int fd;

		if ((status = file_temp(b->st->dirfd, &fd)))
			return status;
		if (!(b->out = fdopen(fd, "w+"))) {
			close(fd);
			return diag_errno(BRAIN_IO, errno, "cannot stage the output");
		}
	}
	id_key(id, key);
	if (keyset_find(&b->seen, key))
		return print_packet(a, p, b->out);
	keyset_put(&b->seen, key, 1);
	if (ident_stored(b, id))
		return print_built(b, a, p, b->out);
	if ((status = batch_stage(b, p, id)))
		return status;
	return print_packet(a, p, b->out);
}

static enum brain_status batch_commit(struct packet_batch *b, const char *reason)
{
	struct audit_event *ev = xcalloc(b->nstaged ? b->nstaged : 1, sizeof(*ev));
	struct audit_ack *ack = xcalloc(b->nstaged ? b->nstaged : 1, sizeof(*ack));
	enum brain_status status;

	for (size_t i = 0; i < b->nstaged; i++) {
		ev[i].subject = b->staged[i];
		ev[i].action = "packet.build";
		ev[i].status = "SUCCESS";
		ev[i].details = b->details[i];
		ev[i].reason = reason;
	}
	status = b->nstaged ? change_commit(&b->c, NULL, ev, b->nstaged, ack) : BRAIN_OK;
	free(ev);
	free(ack);
	return status;
}

/* The staged lines as records, for --format=csv or text. */
static enum brain_status replay_lines(FILE *fp)
{
	enum brain_status status = BRAIN_OK;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	while (!status && (n = getline(&line, &cap, fp)) > 0)
		status = render_line(line, (size_t)n - (line[n - 1] == '\n'));
	free(line);
	if (!status && ferror(fp))
		status = diag_errno(BRAIN_IO, errno, "cannot read back the output");
	return status;
}

/* The output of the batch, now that it is stored. */
static enum brain_status batch_print(struct packet_batch *b)
{
	char buf[65536];
	size_t n;

	if (!b->out)
		return BRAIN_OK;
	if (fflush(b->out) != 0 || fseek(b->out, 0, SEEK_SET) != 0)
		return diag_errno(BRAIN_IO, errno, "cannot read back the output");
	if (render_active())
		return replay_lines(b->out);
	while ((n = fread(buf, 1, sizeof(buf), b->out)) > 0)
		if (fwrite(buf, 1, n, stdout) != n)
			break;
	if (ferror(b->out))
		return diag_errno(BRAIN_IO, errno, "cannot read back the output");
	return BRAIN_OK;
}

/* One packet per lead of r; with state, each new one staged into b (a dry
 * run or no state: printed as it is built). */
static enum brain_status build_all(struct packet_common *pc, const struct packet_args *a,
				   struct jsonl_reader *r, struct packet_batch *b,
				   const struct cli *cli)
{
	enum brain_status status = BRAIN_OK;
	long built = 0;
	cJSON *lead;
	int rc;

	while (!status && (rc = jsonl_next(r, &lead)) != JSONL_EOF) {
		struct json_loc loc = jsonl_where(r);
		cJSON *p = NULL;
		size_t len;
		const char *raw = jsonl_line(r, &len);
		char *text;

		if (rc)
			return rc == BRAIN_IO ? BRAIN_IO : BRAIN_DATA;
		text = xmalloc(len + 1);
		memcpy(text, raw, len);
		text[len] = '\0';
		status = build_one(pc, lead, text, &loc, &p);
		free(text);
		cJSON_Delete(lead);
		if (!status && b->st && !cli->dry_run)
			status = batch_add(b, a, p);
		else if (!status)
			status = print_built(b, a, p, stdout);
		cJSON_Delete(p);
		if (cli->progress && (++built & 0x3ff) == 0)
			fprintf(stderr, "\r%s: %ld packets built", diag_program(), built);
	}
	if (cli->progress && built >= 0x400)
		fprintf(stderr, "\n");
	return status;
}

enum brain_status packet_cmd_build(const struct cli *cli, const struct packet_args *a,
				   const char *path)
{
	struct jsonl_reader r;
	struct state st;
	struct packet_common pc;
	struct packet_batch b;
	enum brain_status status;
	time_t now;
	int opened = 0;

	if ((status = clock_now(&now)) || (status = jsonl_open(&r, path, 0)))
		return status;
	status = command_open_state(cli, &st);
	if (status == BRAIN_STATE && cli->dry_run)
		status = BRAIN_OK; /* a dry run may go without any state */
	else if (status)
		goto out;
	else
		opened = 1;
	batch_init(&b, opened ? &st : NULL);
	if (!(status = common_init(&pc, opened ? &st : NULL, a, now)) &&
	    !(status = build_all(&pc, a, &r, &b, cli)) && opened)
		status = batch_commit(&b, cli->reason);
	else if (opened)
		change_abort(&b.c);
	if (!status && opened)
		status = batch_print(&b);
	common_free(&pc);
	batch_free(&b);
out:
	if (opened)
		state_close(&st);
	jsonl_close(&r);
	return status;
}

enum brain_status packet_cmd_show(const struct cli *cli, const struct packet_args *a,
				  const char *id)
{
	struct state st;
	enum brain_status status;
	cJSON *p;

	/* Only a well-formed id ever reaches a file name. */
	if (!ident_valid_packet(id))
		return diag_error(BRAIN_DATA, "invalid packet id '%s' (pk- and 16 hex digits)", id);
	if ((status = state_open(&st, cli->state_dir, STATE_READ)))
		return status;
	status = load_packet(st.dirfd, id, &p);
	state_close(&st);
	if (status == BRAIN_NO)
		return diag_error(BRAIN_DATA, "no packet '%s' (see 'brain-packet list')", id);
	if (status)
		return status;
	if (a->buyer) {
		cJSON *view = packet_buyer_view(p);

		cJSON_Delete(p);
		p = view;
	}
	switch (a->format) {
	case PACKET_MARKDOWN: case PACKET_HTML: case PACKET_TEXT:
		packet_render(p, a->format, stdout);
		break;
	default: status = jsonl_write(stdout, p); break;
	}
	cJSON_Delete(p);
	return status;
}

/* A packet is stored as <19-character id>.json; the id is listed. */
static int keep_packet(char *name, void *arg)
{
	(void)arg;
	if (strlen(name) != 24 || strcmp(name + 19, ".json"))
		return 0;
	name[19] = '\0';
	return 1;
}

enum brain_status packet_cmd_list(const struct cli *cli, const struct packet_args *a)
{
	struct state st;
	enum brain_status status;
	char **ids;
	size_t n;

	if ((status = state_open(&st, cli->state_dir, STATE_READ)))
		return status;
	if ((status = state_list(&st, "packets", keep_packet, NULL, &ids, &n))) {
		state_close(&st);
		return status;
	}
	for (size_t i = 0; i < n && !status; i++) {
		cJSON *p, *o;

		if ((status = load_packet(st.dirfd, ids[i], &p)))
			break;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "packet_id", json_string_or_empty(p, "packet_id"));
		cJSON_AddStringToObject(o, "lead_name", json_string_or_empty(p, "lead_name"));
		cJSON_AddItemToObject(o, "deal_value", cJSON_Duplicate(
			cJSON_GetObjectItemCaseSensitive(p, "deal_value"), 0));
		cJSON_AddNumberToObject(o, "warnings", cJSON_GetArraySize(
			cJSON_GetObjectItemCaseSensitive(p, "warnings")));
		cJSON_AddStringToObject(o, "created", json_string_or_empty(p, "created"));
		if (a->format == PACKET_TEXT) {
			char title[512];

			packet_title(p, title, sizeof(title));
			printf("%s  %s\n", json_string_or_empty(p, "packet_id"), title);
		} else
			status = jsonl_write(stdout, o);
		cJSON_Delete(o);
		cJSON_Delete(p);
	}
	state_names_free(ids, n);
	state_close(&st);
	return status;
}
