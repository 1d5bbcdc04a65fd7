# bash completion for rvalid                                  -*- shell-script -*-
# Installed by `make install` into $(PREFIX)/share/bash-completion/completions/rvalid.

# Rule files (.yaml .yml .py .rv) and folders, without extglob.
_rvalid_rules()
{
	local f
	COMPREPLY=()
	while IFS= read -r f; do
		case $f in
		*.yaml | *.yml | *.py | *.rv) COMPREPLY+=("$f") ;;
		*) [[ -d $f ]] && COMPREPLY+=("$f/") ;;
		esac
	done < <(compgen -f -- "$1")
}

_rvalid()
{
	local cur prev words cword
	_init_completion 2>/dev/null || {
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD - 1]}
		cword=$COMP_CWORD
		words=("${COMP_WORDS[@]}")
	}
	local commands="validate check init help"
	if ((cword == 1)); then
		COMPREPLY=($(compgen -W "$commands --version --help" -- "$cur"))
		return
	fi
	local cmd=${words[1]}
	case $prev in
	-r | --rules | --schema)
		_rvalid_rules "$cur"
		return ;;
	-o | --output | --errors | --invalid-rows | --valid-rows | --from | --ca-bundle)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	-f | --format)
		if [[ $cmd == check ]]; then
			COMPREPLY=($(compgen -W "text dot" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "text json ndjson junit html" -- "$cur"))
		fi
		return ;;
	--fail-on) COMPREPLY=($(compgen -W "error warn" -- "$cur")); return ;;
	--color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
	--encoding) COMPREPLY=($(compgen -W "utf-8 latin-1 cp1252 utf-16" -- "$cur")); return ;;
	--syntax) COMPREPLY=($(compgen -W "yaml py" -- "$cur")); return ;;
	-j | --threads | --samples | --max-errors | --limit | --skip-lines | --max-field-size | \
	--max-invalid | --delimiter | --quote | --escape | --comment | --null | --skip | --only | \
	--endpoint-url | --region | --profile | --retries | \
	--memory-limit)
		return ;;
	esac
	if [[ $cur == -* ]]; then
		local opts
		case $cmd in
		validate)
			opts="--rules --schema --output --format --errors --max-errors --invalid-rows
			      --valid-rows --threads --samples --max-invalid --fail-on --skip --only --limit
			      --fail-fast --delimiter --quote --escape --comment --no-header --null --encoding
			      --skip-lines --max-field-size --progress --no-progress --color --memory-limit --quiet --verbose --help
			      --endpoint-url --region --profile --path-style --ca-bundle --retries" ;;
		check) opts="--explain --format --quiet --help" ;;
		init) opts="--syntax --from --output --force --delimiter --no-header --null --help" ;;
		esac
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		return
	fi
	case $cmd in
	help) COMPREPLY=($(compgen -W "$commands" -- "$cur")) ;;
	check) _rvalid_rules "$cur" ;;
	*) COMPREPLY=($(compgen -f -- "$cur")) ;;
	esac
}
complete -F _rvalid rvalid
