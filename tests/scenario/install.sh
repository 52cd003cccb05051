# make install honours DESTDIR, PREFIX and MANDIR; make uninstall removes
# what it installed.
. "$TOP/tests/scenario/lib.sh"
set -u

d=$PWD/dest
make -s -C "$TOP" install DESTDIR="$d" PREFIX=/usr > out 2>&1
check "make install exits 0" test $? = 0
check "the programs are in \$DESTDIR/usr/bin" test -x "$d/usr/bin/brain" -a -x "$d/usr/bin/brain-ab" -a -x "$d/usr/bin/brain-verify"
check "brain(1) is in \$DESTDIR/usr/share/man/man1" test -f "$d/usr/share/man/man1/brain.1"
check "brain-state(5) in man5 and brain(7) in man7" test -f "$d/usr/share/man/man5/brain-state.5" -a -f "$d/usr/share/man/man7/brain.7"
check "the installed front end finds its programs" sh -c "'$d/usr/bin/brain' verify --self-test | grep -q '\"overall_status\":\"PASS\"'"
make -s -C "$TOP" install DESTDIR="$PWD/other" PREFIX=/opt/brain MANDIR=/opt/brain/man > out 2>&1
check "MANDIR places the pages" test -f "$PWD/other/opt/brain/man/man1/brain-ab.1"
make -s -C "$TOP" uninstall DESTDIR="$d" PREFIX=/usr > out 2>&1
check "make uninstall removes the programs and pages" \
	test ! -e "$d/usr/bin/brain-ab" -a ! -e "$d/usr/share/man/man1/brain.1"
