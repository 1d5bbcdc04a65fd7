# The command line itself: version, help, unknown commands and options.

$ rvalid --version
  rvalid \d+\.\d+\.\d+ (re)

$ rvalid
! usage: rvalid COMMAND [options] [args]
!
! Check tabular data against rules written by hand.
!
! commands:
!   validate   check data against a rule file
!   check      compile rule files; --explain prints the rule graph
!   init       write a starter rule file, or infer one from a sample CSV
!   help       show help for a command: rvalid help COMMAND
!
! options:
!   --version  print rvalid's version
!   -h, --help show this help
!
! exit status: 0 passed, 1 data failed, 2 usage or rule error, 3 input/output error,
! 130/143 interrupted, 141 output pipe closed. See rvalid(1) and rvalid-rules(5).
[2]

$ rvalid chekc rules.yaml
! rvalid: unknown command 'chekc' (did you mean 'check'?)
! try 'rvalid --help'
[2]

$ rvalid check --bogus ../../rules/users.yaml
! rvalid check: unknown option '--bogus'
! usage: rvalid check [--explain] [--format text|dot] [-q] RULES...
! try 'rvalid check --help' for more
[2]

$ rvalid check
! rvalid check: no rule file given
! usage: rvalid check [--explain] [--format text|dot] [-q] RULES...
! try 'rvalid check --help' for more
[2]

$ rvalid help check | head -1
  usage: rvalid check [--explain] [--format text|dot] [-q] RULES...

$ rvalid check --help | head -1
  usage: rvalid check [--explain] [--format text|dot] [-q] RULES...

$ rvalid check no/such/file.yaml
! rvalid: no/such/file.yaml: No such file or directory
[3]

$ rvalid check .
! rvalid: .: Is a directory
[3]

# options may follow operands
$ rvalid check ../../rules/users.yaml --quiet
