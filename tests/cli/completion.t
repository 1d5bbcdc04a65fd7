# The bash completion offers commands, options and values, and knows every option
# that --help lists (so the two cannot drift apart).

$ source ../../completions/rvalid.bash; COMP_WORDS=(rvalid va); COMP_CWORD=1; _rvalid; echo "${COMPREPLY[@]}"
  validate

$ source ../../completions/rvalid.bash; COMP_WORDS=(rvalid validate --fail); COMP_CWORD=2; _rvalid; printf '%s\n' "${COMPREPLY[@]}" | sort
  --fail-fast
  --fail-on

$ source ../../completions/rvalid.bash; COMP_WORDS=(rvalid validate --fail-on ''); COMP_CWORD=3; _rvalid; echo "${COMPREPLY[@]}"
  error warn

$ source ../../completions/rvalid.bash; COMP_WORDS=(rvalid check ../../rules/us); COMP_CWORD=2; _rvalid; printf '%s\n' "${COMPREPLY[@]}" | sort
  ../../rules/users.py
  ../../rules/users.yaml

$ source ../../completions/rvalid.bash; COMP_WORDS=(rvalid help i); COMP_CWORD=2; _rvalid; echo "${COMPREPLY[@]}"
  init

# every long option of each command's --help is offered
$ source ../../completions/rvalid.bash
> for cmd in validate check init; do
>   COMP_WORDS=(rvalid $cmd --); COMP_CWORD=2; _rvalid
>   n=0
>   for opt in $(rvalid $cmd --help | grep -oE -- '--[a-z][a-z-]+' | sort -u); do
>     n=$((n + 1))
>     printf '%s\n' "${COMPREPLY[@]}" | grep -qx -- "$opt" || echo "$cmd: $opt is not completed"
>   done
>   echo "$cmd: $n options looked at"
> done
  validate: [1-9][0-9]* options looked at (re)
  check: [1-9][0-9]* options looked at (re)
  init: [1-9][0-9]* options looked at (re)
