# Say it once: every option each command's --help lists is in rvalid(1), and the
# man pages are clean under groff's warnings.

$ for cmd in validate check init; do
>   for opt in $(rvalid $cmd --help | grep -oE -- '--[a-z][a-z-]+' | sort -u); do
>     grep -qF -- "$(echo "$opt" | sed 's/-/\\-/g')" ../../man/rvalid.1 || echo "$cmd: $opt is not in rvalid(1)"
>   done
> done

$ for m in ../../man/rvalid.1 ../../man/rvalid-rules.5; do groff -man -ww -z $m; done
