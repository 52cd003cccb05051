# Scale-out by unit: `brain-ab partition` puts every unit's events in one
# shard, so tallies of the shards, run side by side by GNU parallel and
# merged, give the bytes of one pass even with --exclude-multi (which
# depends on the order of a unit's events) and ids; a plain split of the
# lines does not.
. "$TOP/tests/scenario/lib.sh"
set -u

awk 'BEGIN { srand(9); for (i = 1; i <= 20000; i++) { u = int(rand() * 3000)
	v = u % 3 == 0 ? "High-Energy" : u % 3 == 1 ? "Low-Pressure" : "Consultative"
	if (rand() < 0.05) v = "High-Energy"
	printf "{\"id\":\"e%d\",\"unit\":\"lead-%d\",\"variant\":\"%s\",\"converted\":%s,\"value\":%d}\n",
		i, u, v, rand() < 0.1 ? "true" : "false", i % 97 } }' > events
brain-ab tally --kind=script --exclude-multi events | sort > one-pass

brain-ab partition --shards=4 events
check "four shards, every line in one" test "$(cat part.0 part.1 part.2 part.3 | wc -l)" = 20000
check "each unit in one shard only" sh -c '
	for p in part.*; do sed "s/.*\"unit\":\"\([^\"]*\)\".*/\1/" "$p" | sort -u | sed "s|$| $p|"; done |
	awk "{ n[\$1]++ } END { for (u in n) if (n[u] > 1) exit 1 }"'
parallel -j2 brain-ab tally --kind=script --exclude-multi ::: part.0 part.1 part.2 part.3 |
	brain-ab merge | sort > sharded
check "GNU parallel over the shards, merged, gives the one-pass bytes" cmp -s one-pass sharded
check "some events were excluded, so the order mattered" \
	sh -c 'brain-ab tally --kind=script events | sort | cmp -s - one-pass; test $? = 1'
split -n l/4 events naive.
parallel -j2 brain-ab tally --kind=script --exclude-multi ::: naive.* | brain-ab merge | sort > naive
check "a plain split of the lines does not" sh -c '! cmp -s one-pass naive'

printf '{"unit":"a","variant":"A","converted":true}\n{"unit":\n' > bad
brain-ab partition --shards=2 --prefix=bad. bad 2> err
rc=$?
check "a bad line: exit 3" test "$rc" = 3
check "naming the file and line" grep -q "bad:2:" err
check "and no shard is left, whole or part" sh -c '! ls bad.* > /dev/null 2>&1'
brain-ab partition --shards=3 --prefix=stdin. < events
brain-ab partition --shards=3 --prefix=file. events
check "standard input by default, the same shards as from the file" \
	sh -c 'cmp -s stdin.0 file.0 && cmp -s stdin.1 file.1 && cmp -s stdin.2 file.2'
