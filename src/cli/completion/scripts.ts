/**
 * The shell scripts are thin: each passes the words of the line to `phone-dir __complete` and shows
 * what it prints (see run.ts), so new commands and flags complete without regenerating the script.
 */
export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

const BASH = `# phone-dir bash completion. In ~/.bashrc: source <(phone-dir completion bash)
_phone_dir() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" line
  local -a out=()
  COMPREPLY=()
  while IFS= read -r line; do out+=("$line"); done < <(phone-dir __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)
  [ "$cur" = "=" ] && cur=""
  case "\${out[0]}" in
    :dirs) compopt -o filenames 2>/dev/null; while IFS= read -r line; do COMPREPLY+=("$line"); done < <(compgen -d -- "$cur") ;;
    :files) compopt -o filenames 2>/dev/null; while IFS= read -r line; do COMPREPLY+=("$line"); done < <(compgen -f -- "$cur") ;;
    *) for line in "\${out[@]}"; do [ -n "$line" ] && COMPREPLY+=("\${line%%$'\\t'*}"); done ;;
  esac
}
complete -F _phone_dir phone-dir
`;

const ZSH = `#compdef phone-dir
# phone-dir zsh completion. In ~/.zshrc, after compinit: source <(phone-dir completion zsh)
# or save it as _phone-dir in a folder of your $fpath.
_phone_dir() {
  local -a out specs
  local line
  out=("\${(@f)$(phone-dir __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  case "$out[1]" in
    :dirs) _files -/; return ;;
    :files) _files; return ;;
  esac
  for line in "\${out[@]}"; do
    [[ -z "$line" ]] && continue
    if [[ "$line" == *$'\\t'* ]]; then specs+=("\${\${line%%$'\\t'*}//:/\\\\:}:\${line#*$'\\t'}")
    else specs+=("\${line//:/\\\\:}"); fi
  done
  (( \${#specs} )) && _describe -t values phone-dir specs
}
if [[ "$funcstack[1]" == "_phone-dir" ]]; then _phone_dir "$@"; else compdef _phone_dir phone-dir; fi
`;

const FISH = `# phone-dir fish completion: phone-dir completion fish > ~/.config/fish/completions/phone-dir.fish
function __phone_dir_complete
    set -l words (commandline -opc)
    set -e words[1]
    set -l current (commandline -ct)
    set -l out (phone-dir __complete $words "$current" 2>/dev/null)
    switch "$out[1]"
        case :dirs
            __fish_complete_directories "$current"
        case :files
            __fish_complete_path "$current"
        case '*'
            printf '%s\\n' $out
    end
end
complete -c phone-dir -f -a '(__phone_dir_complete)'
`;

export function completionScript(shell: Shell): string {
  return { bash: BASH, zsh: ZSH, fish: FISH }[shell];
}
