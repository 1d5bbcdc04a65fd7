# The progress line and colour follow the terminal: on when standard error (or the
# summary's stream) is a terminal, off in CI and cron, forced by the options, and
# NO_COLOR turns colour off. `script` gives a command a real terminal.

# not a terminal here: no progress line, no colour
$ rvalid validate -r ../../rules/users.yaml ../../examples/users.csv 2>&1 | head -1 | cat -v
  FAILED  10 records: 5 valid, 5 invalid, 2 warned (rules ../../rules/users.yaml)

# on a terminal: colour, unless NO_COLOR (which the test runner sets, so unset it here)
$ script -qc "env -u NO_COLOR rvalid validate -r ../../rules/users.yaml ../../examples/users.csv" /dev/null | head -1 | cat -v
  ^[[31;1mFAILED^[[0m  10 records: 5 valid, 5 invalid, 2 warned (rules ../../rules/users.yaml)^M

$ script -qc "NO_COLOR=1 rvalid validate -r ../../rules/users.yaml ../../examples/users.csv" /dev/null | head -1 | cat -v
  FAILED  10 records: 5 valid, 5 invalid, 2 warned (rules ../../rules/users.yaml)^M

$ script -qc "rvalid validate --color never -r ../../rules/users.yaml ../../examples/users.csv" /dev/null | head -1 | cat -v
  FAILED  10 records: 5 valid, 5 invalid, 2 warned (rules ../../rules/users.yaml)^M

$ rvalid validate --color always -r ../../rules/users.yaml ../../examples/users.csv | head -1 | cat -v
  ^[[31;1mFAILED^[[0m  10 records: 5 valid, 5 invalid, 2 warned (rules ../../rules/users.yaml)

$ rvalid validate --color sometimes -r ../../rules/users.yaml ../../examples/users.csv
! rvalid validate: --color takes auto, always or never, not 'sometimes'
! usage: rvalid validate -r RULES [options] INPUT...
! try 'rvalid validate --help' for more
[2]

# --progress forces the line; it is cleared before the summary (the input arrives in
# bursts, so the run lasts long enough for the line to be drawn)
$ printf 'fields:\n  id: {type: int}\n' > $T/ids.yaml
> python3 -c '
> import sys, time
> sys.stdout.write("id\n")
> for burst in range(4):
>     sys.stdout.write("".join("%d\n" % i for i in range(300000))); sys.stdout.flush(); time.sleep(0.2)
> ' | rvalid validate --progress -r $T/ids.yaml - 2>$T/err >/dev/null; echo "exit $?"
> tr '\r' '\n' < $T/err | grep -c ' records/s' | sed 's/^[1-9][0-9]*$/drawn/'; tail -c 4 $T/err | od -An -c | tr -s ' '
  exit 0
  drawn
   \r 033 [ K

# on a terminal it is on by default, and -q or --no-progress turn it off
$ script -qc "rvalid validate -r $T/ids.yaml $T/ids.csv --no-progress -o $T/r.json" /dev/null | grep -c 'records/s'
  0
[1]
