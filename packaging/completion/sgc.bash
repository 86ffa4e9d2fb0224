# bash completion for sgc: subcommands and each subcommand's options, read
# from the binary's own --help (so they match the installed version), and
# file names for arguments. Installed as
# /usr/share/bash-completion/completions/sgc.
_sgc_complete() {
    local cur prev cmd
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD - 1]}
    if [ "$COMP_CWORD" -eq 1 ]; then
        local cmds
        cmds=$("${COMP_WORDS[0]}" --help 2> /dev/null |
            awk '/^commands:/ { f = 1; next } f && /^  [a-z]/ { print $1 }')
        COMPREPLY=($(compgen -W "$cmds --help" -- "$cur"))
        return
    fi
    cmd=${COMP_WORDS[1]}
    case $prev in
    -o | --output | -c | --config | --config-file)
        COMPREPLY=($(compgen -f -- "$cur"))
        return
        ;;
    --format)
        COMPREPLY=($(compgen -W "text json sarif" -- "$cur"))
        return
        ;;
    --min-priority)
        COMPREPLY=($(compgen -W "emergency alert critical error warning notice informational debug" -- "$cur"))
        return
        ;;
    esac
    if [[ $cur == -* ]]; then
        local opts
        opts=$("${COMP_WORDS[0]}" "$cmd" --help 2> /dev/null |
            grep -oE '(^|[ ,\[])--?[a-zA-Z][a-zA-Z0-9-]*' | tr -d ' ,[' | sort -u)
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        return
    fi
    COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _sgc_complete sgc
