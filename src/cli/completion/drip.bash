# bash completion for drip: commands, options, option values (sample types
# read from the profile on the line, granularities, formats, colours) and
# file names.  The answers come from `drip __complete`, so they follow the
# drip that is installed.  Installed by `make install`; or: source this file.
_drip()
{
	local line cur prefix kind
	local -a words out
	# Split the line ourselves: bash's COMP_WORDS breaks words at '=',
	# and drip's options are --name=value.
	line=${COMP_LINE:0:COMP_POINT}
	read -ra words <<<"$line"
	[[ $line == *[[:space:]] ]] && words+=("")
	cur=${words[-1]}
	mapfile -t out < <("${words[0]}" __complete "${words[@]:1}" 2>/dev/null)
	kind=${out[0]}
	out=("${out[@]:1}")
	if [[ $kind == files ]]; then
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return
	fi
	prefix=""
	if [[ $cur == -*=* ]]; then
		# bash replaces only what follows the '=' (a word break)
		cur=${cur#*=}
	fi
	COMPREPLY=()
	local w
	for w in "${out[@]}"; do
		[[ $w == "$cur"* ]] && COMPREPLY+=("$prefix$w")
	done
	# an option that takes a value: no space after its '='
	[[ ${#COMPREPLY[@]} == 1 && ${COMPREPLY[0]} == *= ]] && compopt -o nospace 2>/dev/null
	return 0
}
complete -F _drip drip
