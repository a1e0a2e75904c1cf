# bash completion for mailclerk: commands, their options, query fields, and
# the configuration's clients, projects and sources.
#
# Every word comes from `mailclerk complete ...`, which reads it where it is
# defined (the command table, each command's options, the query fields, the
# configuration), so new commands and options need no edit here.
# `make install` puts this file where bash-completion looks for it.

# Prints the first field of each line `mailclerk complete ARGS...` prints.
# Errors are not shown: completion never writes on the terminal.
_mailclerk_words()
{
	local line
	"${_mailclerk_prog[@]}" complete "$@" 2>/dev/null | while IFS= read -r line; do
		printf '%s\n' "${line%%$'\t'*}"
	done
}

# Sets words and cword: COMP_WORDS with the words bash split at ':' or '='
# (COMP_WORDBREAKS) joined back, as typed: client:acme is one word.
_mailclerk_join_words()
{
	local i w line=${COMP_LINE-} trimmed glue
	words=() cword=0
	for ((i = 0; i < ${#COMP_WORDS[@]}; i++)); do
		w=${COMP_WORDS[i]}
		if [[ -n ${COMP_LINE+set} ]]; then
			# A word is glued to the one before when no blank is between.
			trimmed=${line#"${line%%[![:blank:]]*}"}
			[[ ${#trimmed} -eq ${#line} ]] && glue=1 || glue=0
			line=${trimmed#"$w"}
		else
			glue=0
			[[ $w == [:=] || ${COMP_WORDS[i - 1]-} == [:=] ]] && glue=1
		fi
		if ((i > 0 && glue)); then
			words[${#words[@]} - 1]+=$w
		else
			words+=("$w")
		fi
		((i == COMP_CWORD)) && cword=$((${#words[@]} - 1))
	done
}

_mailclerk()
{
	local words cword
	_mailclerk_join_words
	local cur=${words[cword]} raw=${COMP_WORDS[COMP_CWORD]}
	local -a _mailclerk_prog=("${words[0]/#\~\//$HOME/}")
	# The text bash replaces: after an open quote all of it, else what
	# follows the last word break (client:ac -> ac).
	local bare=$cur quoted=
	if [[ $cur == [\"\']* ]]; then
		quoted=1 bare=${cur:1}
	fi
	local breaks=${COMP_WORDBREAKS-\"\'><=;|&(:}
	breaks=${breaks//[[:space:]\"\']/}
	local rep=$bare
	[[ -z $quoted && -n $breaks ]] && rep=${bare##*[$breaks]}

	# The command: the first word that is no global option.
	local i=1 cmd= sub= at=0
	while ((i < cword)); do
		case ${words[i]} in
		--config | -c)
			_mailclerk_prog+=(--config "${words[i + 1]/#\~\//$HOME/}")
			((i += 2))
			continue
			;;
		--config=*) _mailclerk_prog+=("${words[i]/#--config=\~\//--config=$HOME/}") ;;
		--db | -d) ((i++)) ;;
		-*) ;;
		*)
			cmd=${words[i]} at=$i
			break
			;;
		esac
		((i++))
	done

	local -a found=() target=()
	local head= w=$bare want=
	if [[ -z $cmd ]]; then
		local prev=${words[cword - 1]}
		if [[ $cur == --config=* || $cur == --db=* ]]; then
			want=file head=${cur%%=*}= w=${cur#*=}
		elif ((cword > 1)) && [[ $prev == --config || $prev == -c || $prev == --db || $prev == -d ]]; then
			want=file
		elif [[ $cur == -* ]]; then
			want=options
		else
			mapfile -t found < <(_mailclerk_words commands | while read -r c s; do
				printf '%s\n' "$c"
			done | sort -u)
		fi
	else
		# A second word: "attachments save", "followups done".
		local -a subs=()
		mapfile -t subs < <(_mailclerk_words commands | while read -r c s; do
			[[ $c == "$cmd" && -n $s ]] && printf '%s\n' "$s"
		done)
		local s
		for s in "${subs[@]}"; do
			[[ ${words[at + 1]-} == "$s" && $cword -gt $((at + 1)) ]] && sub=$s
		done
		target=("$cmd")
		[[ -n $sub ]] && target+=("$sub")
		local prev=${words[cword - 1]}
		if [[ $cur == --*=* ]]; then
			want=value prev=${cur%%=*} w=${cur#*=} head=${cur%%=*}=
		elif [[ $prev == --* && $prev != *=* ]] &&
			_mailclerk_words options "${target[@]}" | grep -qxF -- "$prev="; then
			want=value
		elif [[ $cur == -* ]]; then
			want=options
		else
			want=args
			if ((cword == at + 1)); then
				found+=("${subs[@]}")
			fi
		fi
	fi

	case $want in
	file)
		compopt -o filenames 2>/dev/null
		mapfile -t found < <(compgen -f -- "$w")
		;;
	options) mapfile -t -O ${#found[@]} found < <(_mailclerk_words options "${target[@]}") ;;
	value)
		local line takes=
		while IFS= read -r line; do
			[[ ${line%%$'\t'*} == "$prev=" && $line == *$'\t'*$'\t'* ]] && takes=${line##*$'\t'}
		done < <("${_mailclerk_prog[@]}" complete options "${target[@]}" 2>/dev/null)
		if [[ $takes == FILE ]]; then
			compopt -o filenames 2>/dev/null
			mapfile -t found < <(compgen -f -- "$w")
		elif [[ -n $takes ]]; then
			found=(${takes//|/ })
		fi
		;;
	args)
		local args
		args=$("${_mailclerk_prog[@]}" complete args "${target[@]}" 2>/dev/null)
		# Which argument this is: the words before it that are no option
		# (nor an option's value) pick it from ARGS ("DIR QUERY...").
		local -a names
		read -ra names <<<"$args"
		local j=$((at + 1)) n=0 takes_value
		[[ -n $sub ]] && ((j++))
		takes_value=$(_mailclerk_words options "${target[@]}")
		while ((j < cword)); do
			if [[ ${words[j]} == -* ]]; then
				[[ ${words[j]} != *=* ]] && grep -qxF -- "${words[j]}=" <<<"$takes_value" && ((j++))
			else
				((n++))
			fi
			((j++))
		done
		((n >= ${#names[@]})) && n=$((${#names[@]} - 1))
		((n >= 0)) && args=${names[n]}
		# A query argument: complete its last word (after a blank, in quotes).
		if [[ $args == *QUERY* && $bare == *' '* ]]; then
			head=${bare%"${bare##* }"} w=${bare##* }
		fi
		case $args in
		*QUERY*)
			case $w in
			client:*) mapfile -t -O ${#found[@]} found < <(_mailclerk_words clients | sed 's/^/client:/') ;;
			project:*) mapfile -t -O ${#found[@]} found < <(_mailclerk_words projects | sed 's/^/project:/') ;;
			*:*) ;;
			*) mapfile -t -O ${#found[@]} found < <(_mailclerk_words fields) ;;
			esac
			;;
		*CLIENT*)
			mapfile -t -O ${#found[@]} found < <(_mailclerk_words clients)
			[[ $args == *PROJECT* ]] &&
				mapfile -t -O ${#found[@]} found < <(_mailclerk_words projects)
			;;
		*NAME*) mapfile -t -O ${#found[@]} found < <(_mailclerk_words sources) ;;
		DIR*)
			compopt -o filenames 2>/dev/null
			mapfile -t found < <(compgen -d -- "$w")
			;;
		esac
		;;
	esac

	# Keep those that start with what was typed; give bash only the text it
	# replaces (what follows the quote, or the last word break).
	local cut=$((${#head} + ${#w} - ${#rep})) f
	[[ -n $quoted ]] && cut=0
	COMPREPLY=()
	for f in "${found[@]}"; do
		[[ $f == "$w"* ]] || continue
		f=$head$f
		COMPREPLY+=("${f:cut}")
		[[ $f == *[:=] ]] && compopt -o nospace 2>/dev/null
	done
	return 0
}

complete -F _mailclerk mailclerk
