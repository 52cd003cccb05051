/*
 * gate_deploy.h - brain-gate's stepped deployments of a clone: a canary
 * whose share of traffic steps (10, 25, 50, 100 %), each step analysed
 * against the baseline from recorded outcomes, the clone serving at the
 * end; kept in clones/<id>/deployment.json (core/clone_store.h).
 *
 *   deploy CLONE --steps=10,25,50,100 [--baseline=B]
 *                start, only when the clone's gates let it be promoted
 *                (gate_cmd_evaluate on its stored evidence): BLOCK is
 *                BRAIN_NO and nothing is written; audited as gate.deploy
 *                with the gate decision it was allowed by
 *   analyze CLONE [FILE|-]
 *                judge the step (core/canary_analysis.h, the outcomes
 *                since the step began or --since) and advance, promote
 *                at 100 % (the clone serves; the clone that served is
 *                retired), hold, count a failure or abort and roll back:
 *                one change audited as gate.analyze, none with --dry-run
 *   route CLONE UNIT|-
 *                which clone serves each unit at the current weight
 *
 *     gate_deploy_start(cli, &args, "sales-agent");
 *     gate_deploy_analyze(cli, &args, "sales-agent", "outcomes.jsonl");
 *     gate_deploy_route(cli, "sales-agent", "lead-42");
 */
#ifndef BRAIN_GATE_DEPLOY_H
#define BRAIN_GATE_DEPLOY_H

#include "cmd/cli.h"
#include "cmd/gate_cmd.h"
#include "status.h"

/* brain-gate deploy CLONE: a->steps (a->nsteps of them) and a->baseline
 * (NULL: the clone serving).  BRAIN_OK when it started; BRAIN_NO when
 * the gates block it, nothing serves to judge it against, or a
 * deployment runs already. */
enum brain_status gate_deploy_start(const struct cli *cli, const struct gate_args *a,
				    const char *clone);

/* brain-gate analyze CLONE [FILE|-] (a->analysis, a->since).  BRAIN_OK
 * when the deployment advanced or was promoted; BRAIN_NO when it held,
 * failed or was aborted, and when none runs. */
enum brain_status gate_deploy_analyze(const struct cli *cli, const struct gate_args *a,
				      const char *clone, const char *file);

/* brain-gate route CLONE UNIT, or CLONE - (unit ids from stdin). */
enum brain_status gate_deploy_route(const struct cli *cli, const char *clone, const char *unit);

#endif
