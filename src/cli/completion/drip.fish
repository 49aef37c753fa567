# fish completion for drip (see drip.bash): the answers come from
# `drip __complete`.  Installed by `make install` into fish's completions.
function __drip_complete
	set -l toks (commandline -opc)
	set -l cur (commandline -ct)
	set -l out ($toks[1] __complete $toks[2..-1] $cur 2>/dev/null)
	if test "$out[1]" = files
		__fish_complete_path $cur
		return
	end
	set -l pre ''
	if string match -qr -- '^-.*=' $cur
		set pre (string replace -r -- '=.*' '=' $cur)
	end
	for w in $out[2..-1]
		echo $pre$w
	end
end
complete -c drip -f -a '(__drip_complete)'
