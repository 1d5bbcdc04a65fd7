# Say it once: every option each command's --help lists is in rvalid(1), and the
# man pages are clean under groff's warnings.

$ for cmd in validate check init; do
>   n=0
>   for opt in $(rvalid $cmd --help | grep -oE -- '--[a-z][a-z-]+' | sort -u); do
>     n=$((n + 1))
>     grep -qF -- "$(echo "$opt" | sed 's/-/\\-/g')" ../../man/rvalid.1 || echo "$cmd: $opt is not in rvalid(1)"
>   done
>   echo "$cmd: $n options looked at"
> done
  validate: [1-9][0-9]* options looked at (re)
  check: [1-9][0-9]* options looked at (re)
  init: [1-9][0-9]* options looked at (re)

$ for m in ../../man/rvalid.1 ../../man/rvalid-rules.5; do groff -man -ww -z $m; done
