#!/bin/bash

__dicomfs_cursor_index_in_current_word() {
    local remaining="${COMP_LINE}"

    local word
    for word in "${COMP_WORDS[@]::COMP_CWORD}"; do
        remaining="${remaining##*([[:space:]])"${word}"*([[:space:]])}"
    done

    local -ir index="$((COMP_POINT - ${#COMP_LINE} + ${#remaining}))"
    if [[ "${index}" -le 0 ]]; then
        printf 0
    else
        printf %s "${index}"
    fi
}

# positional arguments:
#
# - 1: the current (sub)command's count of positional arguments
#
# required variables:
#
# - repeating_flags: the repeating flags that the current (sub)command can accept
# - non_repeating_flags: the non-repeating flags that the current (sub)command can accept
# - repeating_options: the repeating options that the current (sub)command can accept
# - non_repeating_options: the non-repeating options that the current (sub)command can accept
# - positional_number: value ignored
# - unparsed_words: unparsed words from the current command line
#
# modified variables:
#
# - non_repeating_flags: remove flags for this (sub)command that are already on the command line
# - non_repeating_options: remove options for this (sub)command that are already on the command line
# - positional_number: set to the current positional number
# - unparsed_words: remove all flags, options, and option values for this (sub)command
__dicomfs_offer_flags_options() {
    local -ir positional_count="${1}"
    positional_number=0

    local was_flag_option_terminator_seen=false
    local is_parsing_option_value=false

    local -ar unparsed_word_indices=("${!unparsed_words[@]}")
    local -i word_index
    for word_index in "${unparsed_word_indices[@]}"; do
        if "${is_parsing_option_value}"; then
            # This word is an option value:
            # Reset marker for next word iff not currently the last word
            [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]] && is_parsing_option_value=false
            unset "unparsed_words[${word_index}]"
            # Do not process this word as a flag or an option
            continue
        fi

        local word="${unparsed_words["${word_index}"]}"
        if ! "${was_flag_option_terminator_seen}"; then
            case "${word}" in
            --)
                unset "unparsed_words[${word_index}]"
                # by itself -- is a flag/option terminator, but if it is the last word, it is the start of a completion
                if [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]]; then
                    was_flag_option_terminator_seen=true
                fi
                continue
                ;;
            -*)
                # ${word} is a flag or an option
                # If ${word} is an option, mark that the next word to be parsed is an option value
                local option
                for option in "${repeating_options[@]}" "${non_repeating_options[@]}"; do
                    [[ "${word}" = "${option}" ]] && is_parsing_option_value=true && break
                done

                # Remove ${word} from ${non_repeating_flags} or ${non_repeating_options} so it isn't offered again
                local not_found=true
                local -i index
                for index in "${!non_repeating_flags[@]}"; do
                    if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                        unset "non_repeating_flags[${index}]"
                        non_repeating_flags=("${non_repeating_flags[@]}")
                        not_found=false
                        break
                    fi
                done
                if "${not_found}"; then
                    for index in "${!non_repeating_flags[@]}"; do
                        if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                            unset "non_repeating_flags[${index}]"
                            non_repeating_flags=("${non_repeating_flags[@]}")
                            break
                        fi
                    done
                fi
                unset "unparsed_words[${word_index}]"
                continue
                ;;
            esac
        fi

        # ${word} is neither a flag, nor an option, nor an option value
        if [[ "${positional_number}" -lt "${positional_count}" || "${positional_count}" -lt 0 ]]; then
            # ${word} is a positional
            ((positional_number++))
            unset "unparsed_words[${word_index}]"
        else
            if [[ -z "${word}" ]]; then
                # Could be completing a flag, option, or subcommand
                positional_number=-1
            else
                # ${word} is a subcommand or invalid, so stop processing this (sub)command
                positional_number=-2
            fi
            break
        fi
    done

    unparsed_words=("${unparsed_words[@]}")

    if\
        ! "${was_flag_option_terminator_seen}"\
        && ! "${is_parsing_option_value}"\
        && [[ ("${cur}" = -* && "${positional_number}" -ge 0) || "${positional_number}" -eq -1 ]]
    then
        COMPREPLY+=($(compgen -W "${repeating_flags[*]} ${non_repeating_flags[*]} ${repeating_options[*]} ${non_repeating_options[*]}" -- "${cur}"))
    fi
}

__dicomfs_add_completions() {
    local completion
    while IFS='' read -r completion; do
        COMPREPLY+=("${completion}")
    done < <(IFS=$'\n' compgen "${@}" -- "${cur}")
}

__dicomfs_custom_complete() {
    if [[ -n "${cur}" || -z ${COMP_WORDS[${COMP_CWORD}]} || "${COMP_LINE:${COMP_POINT}:1}" != ' ' ]]; then
        local -ar words=("${COMP_WORDS[@]}")
    else
        local -ar words=("${COMP_WORDS[@]::${COMP_CWORD}}" '' "${COMP_WORDS[@]:${COMP_CWORD}}")
    fi

    "${COMP_WORDS[0]}" "${@}" "${words[@]}"
}

_dicomfs() {
    local state
    state="$(shopt -p;shopt -po)"
    trap "${state//$'\n'/;}" RETURN
    shopt -s extglob
    set +o history +o posix

    local -xr SAP_SHELL=bash
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(IFS='.';printf %s "${BASH_VERSINFO[*]}")"
    local -r SAP_SHELL_VERSION

    local -r cur="${2}"
    local -r prev="${3}"

    local -i positional_number
    local -a unparsed_words=("${COMP_WORDS[@]:1:${COMP_CWORD}}")

    local -a repeating_flags=()
    local -a non_repeating_flags=(--version -h --help)
    local -a repeating_options=()
    local -a non_repeating_options=()
    __dicomfs_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    create|ls|verify|add|remove|iso|drives|burn|render|web|mime|zip|unzip|request|serve|send|transcode|dump|help)
        # Offer subcommand argument completions
        "_dicomfs_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'create ls verify add remove iso drives burn render web mime zip unzip request serve send transcode dump help' -- "${cur}"))
        ;;
    esac
}

_dicomfs_create() {
    repeating_flags=()
    non_repeating_flags=(--joliet --no-rock-ridge --no-md5 --in-place --force --icons --series-icons --web --viewer --viewer-values --readme-descriptor --invent --skip-invalid --transcode --strict --dry-run --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--output -o --iso --media --capacity --profile --fileset-id --fileset-uid --descriptor --descriptor-charset --icon-size --viewer-max-size --viewer-quality --transcode-to --allow-lossy)
    __dicomfs_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--output'|'-o')
        __dicomfs_add_completions -d
        return
        ;;
    '--iso')
        __dicomfs_add_completions -f
        return
        ;;
    '--media')
        __dicomfs_add_completions -W 'cd'$'\n''dvd'$'\n''dvd-dl'$'\n''bd'$'\n''usb'
        return
        ;;
    '--capacity')
        return
        ;;
    '--profile')
        return
        ;;
    '--fileset-id')
        return
        ;;
    '--fileset-uid')
        return
        ;;
    '--descriptor')
        __dicomfs_add_completions -f
        return
        ;;
    '--descriptor-charset')
        return
        ;;
    '--icon-size')
        return
        ;;
    '--viewer-max-size')
        return
        ;;
    '--viewer-quality')
        return
        ;;
    '--transcode-to')
        return
        ;;
    '--allow-lossy')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __dicomfs_add_completions -d
        return
        ;;
    esac
}

_dicomfs_ls() {
    repeating_flags=()
    non_repeating_flags=(--flat --json --version -h --help)
    repeating_options=(--patient-id --study-uid --series-uid --modality)
    non_repeating_options=()
    __dicomfs_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--patient-id')
        return
        ;;
    '--study-uid')
        return
        ;;
    '--series-uid')
        return
        ;;
    '--modality')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __dicomfs_add_completions -f
        return
        ;;
    esac
}

_dicomfs_verify() {
    repeating_flags=()
    non_repeating_flags=(--no-md5 --json --quiet -q --version -h --help)
    repeating_options=()
    non_repeating_options=(--profile)
    __dicomfs_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--profile')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __dicomfs_add_completions -f
        return
        ;;
    esac
}

_dicomfs_add() {
    repeating_flags=()
    non_repeating_flags=(--skip-existing --invent --skip-invalid --strict --transcode --dry-run --json --no-web --version -h --help)
    repeating_options=()
    non_repeating_options=(--media --profile --transcode-to --allow-lossy)
    __dicomfs_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--media')
        __dicomfs_add_completions -f
        return
        ;;
    '--profile')
        return
        ;;
    '--transcode-to')
        return
        ;;
    '--allow-lossy')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __dicomfs_add_completions -f
        return
        ;;
    esac
}

_dicomfs_remove() {
    repeating_flags=()
    non_repeating_flags=(--compact --dry-run --json --no-web --version -h --help)
    repeating_options=(--sop-instance-uid --file-id --series-uid --study-uid --patient-id)
    non_repeating_options=()
    __dicomfs_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--sop-instance-uid')
        return
        ;;
    '--file-id')
        return
        ;;
    '--series-uid')
        return
        ;;
    '--study-uid')
        return
        ;;
    '--patient-id')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __dicomfs_add_completions -d
        return
        ;;
    esac
}

_dicomfs_iso() {
    repeating_flags=()
    non_repeating_flags=(--joliet --no-rock-ridge --no-md5 --json --force --version -h --help)
    repeating_options=()
    non_repeating_options=(--output -o --profile --media --capacity)
    __dicomfs_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--output'|'-o')
        __dicomfs_add_completions -f
        return
        ;;
    '--profile')
        return
        ;;
    '--media')
        __dicomfs_add_completions -W 'cd'$'\n''dvd'$'\n''dvd-dl'$'\n''bd'$'\n''usb'
        return
        ;;
    '--capacity')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __dicomfs_add_completions -d
        return
        ;;
    esac
}

_dicomfs_drives() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=(--drive)
    non_repeating_options=()
    __dicomfs_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--drive')
        return
        ;;
    esac
}

_dicomfs_burn() {
    repeating_flags=()
    non_repeating_flags=(--dummy --multi --eject --no-verify --force --blank-first --joliet --no-rock-ridge --no-md5 --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--drive --speed --profile --media --capacity)
    __dicomfs_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--drive')
        return
        ;;
    '--speed')
        return
        ;;
    '--profile')
        return
        ;;
    '--media')
        __dicomfs_add_completions -W 'cd'$'\n''dvd'$'\n''dvd-dl'$'\n''bd'$'\n''usb'
        return
        ;;
    '--capacity')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __dicomfs_add_completions -f
        return
        ;;
    esac
}

_dicomfs_render() {
    repeating_flags=()
    non_repeating_flags=(--min-max --version -h --help)
    repeating_options=()
    non_repeating_options=(--output -o --frame --window --window-index --size)
    __dicomfs_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--output'|'-o')
        __dicomfs_add_completions -f
        return
        ;;
    '--frame')
        return
        ;;
    '--window')
        return
        ;;
    '--window-index')
        return
        ;;
    '--size')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __dicomfs_add_completions -f
        return
        ;;
    esac
}

_dicomfs_web() {
    repeating_flags=()
    non_repeating_flags=(--viewer --no-viewer --version -h --help)
    repeating_options=()
    non_repeating_options=()
    __dicomfs_offer_flags_options 1

    # Offer positional completions
    case "${positional_number}" in
    1)
        __dicomfs_add_completions -d
        return
        ;;
    esac
}

_dicomfs_mime() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __dicomfs_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    export|import)
        # Offer subcommand argument completions
        "_dicomfs_mime_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'export import' -- "${cur}"))
        ;;
    esac
}

_dicomfs_mime_export() {
    repeating_flags=()
    non_repeating_flags=(--mixed --binary --version -h --help)
    repeating_options=()
    non_repeating_options=(--output -o --max-size)
    __dicomfs_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--output'|'-o')
        __dicomfs_add_completions -f
        return
        ;;
    '--max-size')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __dicomfs_add_completions -d
        return
        ;;
    esac
}

_dicomfs_mime_import() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--output -o --max-bytes)
    __dicomfs_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--output'|'-o')
        __dicomfs_add_completions -d
        return
        ;;
    '--max-bytes')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __dicomfs_add_completions -f
        return
        ;;
    esac
}

_dicomfs_zip() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--output -o)
    __dicomfs_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--output'|'-o')
        __dicomfs_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __dicomfs_add_completions -d
        return
        ;;
    esac
}

_dicomfs_unzip() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=(--output -o)
    __dicomfs_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--output'|'-o')
        __dicomfs_add_completions -d
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __dicomfs_add_completions -f
        return
        ;;
    esac
}

_dicomfs_request() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __dicomfs_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    create|run|retry|status|cancel|watch)
        # Offer subcommand argument completions
        "_dicomfs_request_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'create run retry status cancel watch' -- "${cur}"))
        ;;
    esac
}

_dicomfs_request_create() {
    repeating_flags=()
    non_repeating_flags=(--label-from-instances --no-splitting --allow-lossy --display-application --version -h --help)
    repeating_options=(--instance)
    non_repeating_options=(--store --output -o --from --profile --fileset-id --fileset-uid --label-text --label-style --barcode --barcode-symbology --include-non-dicom --copies --priority)
    __dicomfs_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        __dicomfs_add_completions -d
        return
        ;;
    '--output'|'-o')
        __dicomfs_add_completions -d
        return
        ;;
    '--from')
        __dicomfs_add_completions -f
        return
        ;;
    '--instance')
        return
        ;;
    '--profile')
        return
        ;;
    '--fileset-id')
        return
        ;;
    '--fileset-uid')
        return
        ;;
    '--label-text')
        return
        ;;
    '--label-style')
        __dicomfs_add_completions -W 'full'$'\n''compact'
        return
        ;;
    '--barcode')
        return
        ;;
    '--barcode-symbology')
        return
        ;;
    '--include-non-dicom')
        return
        ;;
    '--copies')
        return
        ;;
    '--priority')
        __dicomfs_add_completions -W 'HIGH'$'\n''MED'$'\n''LOW'
        return
        ;;
    esac
}

_dicomfs_request_run() {
    repeating_flags=()
    non_repeating_flags=(--skip-invalid --transcode --json --version -h --help)
    repeating_options=(--drive)
    non_repeating_options=(--copies --priority --capacity --lossy-quality --label-logo)
    __dicomfs_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--copies')
        return
        ;;
    '--priority')
        __dicomfs_add_completions -W 'HIGH'$'\n''MED'$'\n''LOW'
        return
        ;;
    '--capacity')
        return
        ;;
    '--drive')
        return
        ;;
    '--lossy-quality')
        return
        ;;
    '--label-logo')
        __dicomfs_add_completions -o plusdirs -fX '!*.@(png)'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __dicomfs_add_completions -d
        return
        ;;
    esac
}

_dicomfs_request_retry() {
    repeating_flags=()
    non_repeating_flags=(--skip-invalid --transcode --json --version -h --help)
    repeating_options=(--drive)
    non_repeating_options=(--copies --priority --capacity --lossy-quality --label-logo)
    __dicomfs_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--copies')
        return
        ;;
    '--priority')
        __dicomfs_add_completions -W 'HIGH'$'\n''MED'$'\n''LOW'
        return
        ;;
    '--capacity')
        return
        ;;
    '--drive')
        return
        ;;
    '--lossy-quality')
        return
        ;;
    '--label-logo')
        __dicomfs_add_completions -o plusdirs -fX '!*.@(png)'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __dicomfs_add_completions -d
        return
        ;;
    esac
}

_dicomfs_request_status() {
    repeating_flags=()
    non_repeating_flags=(--json --version -h --help)
    repeating_options=()
    non_repeating_options=()
    __dicomfs_offer_flags_options 1

    # Offer positional completions
    case "${positional_number}" in
    1)
        __dicomfs_add_completions -d
        return
        ;;
    esac
}

_dicomfs_request_cancel() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __dicomfs_offer_flags_options 1

    # Offer positional completions
    case "${positional_number}" in
    1)
        __dicomfs_add_completions -d
        return
        ;;
    esac
}

_dicomfs_request_watch() {
    repeating_flags=()
    non_repeating_flags=(--once --version -h --help)
    repeating_options=()
    non_repeating_options=(--store --out --interval)
    __dicomfs_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        __dicomfs_add_completions -d
        return
        ;;
    '--out')
        __dicomfs_add_completions -d
        return
        ;;
    '--interval')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __dicomfs_add_completions -d
        return
        ;;
    esac
}

_dicomfs_serve() {
    repeating_flags=()
    non_repeating_flags=(--web --viewer --transcode --no-transcode --no-jobs --mcm --version -h --help)
    repeating_options=(--ae --allow-calling-ae --allow-address --drive)
    non_repeating_options=(--config --host --port --spool --out --idle --max-associations --max-pdu --timeout --max-instance --max-spool --min-free --profile --copies --capacity --label-text --label-style --label-logo --lossy-quality --mcm-wait --tls-cert --tls-key --tls-ca --status --log-level)
    __dicomfs_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--config')
        __dicomfs_add_completions -o plusdirs -fX '!*.@(toml)'
        return
        ;;
    '--host')
        return
        ;;
    '--port')
        return
        ;;
    '--ae')
        return
        ;;
    '--spool')
        __dicomfs_add_completions -d
        return
        ;;
    '--out')
        __dicomfs_add_completions -d
        return
        ;;
    '--idle')
        return
        ;;
    '--allow-calling-ae')
        return
        ;;
    '--allow-address')
        return
        ;;
    '--max-associations')
        return
        ;;
    '--max-pdu')
        return
        ;;
    '--timeout')
        return
        ;;
    '--max-instance')
        return
        ;;
    '--max-spool')
        return
        ;;
    '--min-free')
        return
        ;;
    '--profile')
        return
        ;;
    '--copies')
        return
        ;;
    '--drive')
        return
        ;;
    '--capacity')
        return
        ;;
    '--label-text')
        return
        ;;
    '--label-style')
        __dicomfs_add_completions -W 'full'$'\n''compact'
        return
        ;;
    '--label-logo')
        __dicomfs_add_completions -o plusdirs -fX '!*.@(png)'
        return
        ;;
    '--lossy-quality')
        return
        ;;
    '--mcm-wait')
        return
        ;;
    '--tls-cert')
        __dicomfs_add_completions -f
        return
        ;;
    '--tls-key')
        __dicomfs_add_completions -f
        return
        ;;
    '--tls-ca')
        __dicomfs_add_completions -f
        return
        ;;
    '--status')
        __dicomfs_add_completions -f
        return
        ;;
    '--log-level')
        return
        ;;
    esac
}

_dicomfs_send() {
    repeating_flags=()
    non_repeating_flags=(--force --dry-run --new-uids --json --version -h --help)
    repeating_options=(--set)
    non_repeating_options=(--to --calling-ae --map --journal --tls-ca --tls-cert --tls-key --timeout)
    __dicomfs_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--to')
        return
        ;;
    '--calling-ae')
        return
        ;;
    '--set')
        return
        ;;
    '--map')
        __dicomfs_add_completions -f
        return
        ;;
    '--journal')
        __dicomfs_add_completions -f
        return
        ;;
    '--tls-ca')
        __dicomfs_add_completions -f
        return
        ;;
    '--tls-cert')
        __dicomfs_add_completions -f
        return
        ;;
    '--tls-key')
        __dicomfs_add_completions -f
        return
        ;;
    '--timeout')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __dicomfs_add_completions -f
        return
        ;;
    esac
}

_dicomfs_transcode() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--output -o --to --allow-lossy)
    __dicomfs_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--output'|'-o')
        __dicomfs_add_completions -d
        return
        ;;
    '--to')
        return
        ;;
    '--allow-lossy')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __dicomfs_add_completions -f
        return
        ;;
    esac
}

_dicomfs_dump() {
    repeating_flags=()
    non_repeating_flags=(--json --inline-binary --meta --header-only --full --offsets --strict --quiet -q --version -h --help)
    repeating_options=()
    non_repeating_options=()
    __dicomfs_offer_flags_options -1

    # Offer positional completions
    case "${positional_number}" in
    *)
        __dicomfs_add_completions -f
        return
        ;;
    esac
}

_dicomfs_help() {
    repeating_flags=()
    non_repeating_flags=(--version)
    repeating_options=()
    non_repeating_options=()
    __dicomfs_offer_flags_options -1
}

complete -o filenames -F _dicomfs dicomfs
