# Shared helpers of the scenario tests (sourced).
# check NAME COMMAND...: run the command; ok when it exits 0.
check() {
	name=$1
	shift
	if "$@"; then echo "ok   $name"; else echo "FAIL $name"; fi
}

# expect_error NAME CODE: the last verify report (in ./report) says CODE.
expect_error() {
	if grep -q "\"error\":\"$2\"" report; then
		echo "ok   $1 -> $2"
	else
		echo "FAIL $1: expected error $2, got: $(cat report)"
	fi
}
