function __dicomfs_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __dicomfs_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __dicomfs_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __dicomfs_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __dicomfs_parse_tokens -S
    set -l unparsed_tokens (__dicomfs_tokens -pc)
    switch $unparsed_tokens[1]
    case 'dicomfs'
        __dicomfs_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'create'
            __dicomfs_parse_subcommand 1 'o/output=' 'iso=' 'media=' 'capacity=' 'joliet' 'no-rock-ridge' 'no-md5' 'in-place' 'force' 'profile=' 'fileset-id=' 'fileset-uid=' 'descriptor=' 'descriptor-charset=' 'icons' 'series-icons' 'icon-size=' 'web' 'viewer' 'viewer-max-size=' 'viewer-quality=' 'viewer-values' 'readme-descriptor' 'invent' 'skip-invalid' 'transcode' 'transcode-to=' 'allow-lossy=' 'strict' 'dry-run' 'json' 'version' 'h/help'
        case 'ls'
            __dicomfs_parse_subcommand 1 'patient-id=+' 'study-uid=+' 'series-uid=+' 'modality=+' 'flat' 'json' 'version' 'h/help'
        case 'verify'
            __dicomfs_parse_subcommand 1 'profile=' 'no-md5' 'json' 'q/quiet' 'version' 'h/help'
        case 'add'
            __dicomfs_parse_subcommand -r 1 'media=' 'profile=' 'skip-existing' 'invent' 'skip-invalid' 'strict' 'transcode' 'transcode-to=' 'allow-lossy=' 'dry-run' 'json' 'no-web' 'version' 'h/help'
        case 'remove'
            __dicomfs_parse_subcommand 1 'sop-instance-uid=+' 'file-id=+' 'series-uid=+' 'study-uid=+' 'patient-id=+' 'compact' 'dry-run' 'json' 'no-web' 'version' 'h/help'
        case 'iso'
            __dicomfs_parse_subcommand 1 'o/output=' 'profile=' 'media=' 'capacity=' 'joliet' 'no-rock-ridge' 'no-md5' 'json' 'force' 'version' 'h/help'
        case 'drives'
            __dicomfs_parse_subcommand 0 'drive=+' 'json' 'version' 'h/help'
        case 'burn'
            __dicomfs_parse_subcommand 1 'drive=' 'speed=' 'dummy' 'multi' 'eject' 'no-verify' 'force' 'blank-first' 'profile=' 'media=' 'capacity=' 'joliet' 'no-rock-ridge' 'no-md5' 'json' 'version' 'h/help'
        case 'render'
            __dicomfs_parse_subcommand 1 'o/output=' 'frame=' 'window=' 'min-max' 'window-index=' 'size=' 'version' 'h/help'
        case 'web'
            __dicomfs_parse_subcommand 1 'viewer' 'no-viewer' 'version' 'h/help'
        case 'mime'
            __dicomfs_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'export'
                __dicomfs_parse_subcommand 1 'o/output=' 'mixed' 'binary' 'max-size=' 'version' 'h/help'
            case 'import'
                __dicomfs_parse_subcommand -r 1 'o/output=' 'max-bytes=' 'json' 'version' 'h/help'
            end
        case 'zip'
            __dicomfs_parse_subcommand 1 'o/output=' 'version' 'h/help'
        case 'unzip'
            __dicomfs_parse_subcommand 1 'o/output=' 'json' 'version' 'h/help'
        case 'request'
            __dicomfs_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'create'
                __dicomfs_parse_subcommand 0 'store=' 'o/output=' 'from=' 'instance=+' 'profile=' 'fileset-id=' 'fileset-uid=' 'label-text=' 'label-style=' 'label-from-instances' 'barcode=' 'barcode-symbology=' 'no-splitting' 'allow-lossy' 'include-non-dicom=' 'display-application' 'copies=' 'priority=' 'version' 'h/help'
            case 'run'
                __dicomfs_parse_subcommand 1 'copies=' 'priority=' 'capacity=' 'drive=+' 'skip-invalid' 'transcode' 'lossy-quality=' 'label-logo=' 'json' 'version' 'h/help'
            case 'retry'
                __dicomfs_parse_subcommand 1 'copies=' 'priority=' 'capacity=' 'drive=+' 'skip-invalid' 'transcode' 'lossy-quality=' 'label-logo=' 'json' 'version' 'h/help'
            case 'status'
                __dicomfs_parse_subcommand 1 'json' 'version' 'h/help'
            case 'cancel'
                __dicomfs_parse_subcommand 1 'version' 'h/help'
            case 'watch'
                __dicomfs_parse_subcommand 1 'store=' 'out=' 'interval=' 'once' 'version' 'h/help'
            end
        case 'serve'
            __dicomfs_parse_subcommand 0 'config=' 'host=' 'port=' 'ae=+' 'spool=' 'out=' 'idle=' 'allow-calling-ae=+' 'allow-address=+' 'max-associations=' 'max-pdu=' 'timeout=' 'max-instance=' 'max-spool=' 'min-free=' 'profile=' 'web' 'viewer' 'copies=' 'drive=+' 'capacity=' 'label-text=' 'label-style=' 'label-logo=' 'transcode' 'no-transcode' 'lossy-quality=' 'no-jobs' 'mcm' 'mcm-wait=' 'tls-cert=' 'tls-key=' 'tls-ca=' 'status=' 'log-level=' 'version' 'h/help'
        case 'send'
            __dicomfs_parse_subcommand 1 'to=' 'calling-ae=' 'set=+' 'map=' 'journal=' 'force' 'dry-run' 'new-uids' 'tls-ca=' 'tls-cert=' 'tls-key=' 'timeout=' 'json' 'version' 'h/help'
        case 'transcode'
            __dicomfs_parse_subcommand -r 1 'o/output=' 'to=' 'allow-lossy=' 'version' 'h/help'
        case 'dump'
            __dicomfs_parse_subcommand -r 1 'json' 'inline-binary' 'meta' 'header-only' 'full' 'offsets' 'strict' 'q/quiet' 'version' 'h/help'
        case 'help'
            __dicomfs_parse_subcommand -r 1 'version'
        end
    end
end

function __dicomfs_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __dicomfs_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __dicomfs_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __dicomfs_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__dicomfs_tokens -p)
    if test -z "$(__dicomfs_tokens -t)"
        set -l index (count (__dicomfs_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'dicomfs' -f
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs" version' -l 'version' -d 'Show the version.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs" -eq 1' -fa 'create' -d 'Make a file-set with a DICOMDIR from a folder of DICOM Part 10 files (File-set Creator).'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs" -eq 1' -fa 'ls' -d 'List the patients, studies, series and instances of a file-set (File-set Reader).'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs" -eq 1' -fa 'verify' -d 'Check a received file-set thoroughly, read-only (File-set Reader).'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs" -eq 1' -fa 'add' -d 'Add DICOM files to an existing file-set (File-set Updater).'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs" -eq 1' -fa 'remove' -d 'Remove instances from a file-set (File-set Updater).'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs" -eq 1' -fa 'iso' -d 'Master an ISO 9660 image of a file-set (PS3.12 names, level 1).'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs" -eq 1' -fa 'drives' -d 'List optical drives and what medium each holds.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs" -eq 1' -fa 'burn' -d 'Write a file-set or an ISO image to a disc (or a stdio: pseudo-drive).'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs" -eq 1' -fa 'render' -d 'Render a frame of a DICOM image to PNG or JPEG.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs" -eq 1' -fa 'web' -d 'Write or rebuild the IHE PDI web content (and the viewer) of a file-set folder.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs" -eq 1' -fa 'mime' -d 'Send or receive a file-set as a MIME message (PS3.10 Annex K).'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs" -eq 1' -fa 'zip' -d 'Write a file-set as a ZIP archive (PS3.12): DICOMDIR at the root, File IDs as paths.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs" -eq 1' -fa 'unzip' -d 'Rebuild a file-set from a ZIP archive, then verify it.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs" -eq 1' -fa 'request' -d 'Media creation requests (PS3.4 Annex S), offline: create, run, status, cancel, watch.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs" -eq 1' -fa 'serve' -d 'Run the disc station: a Storage SCP whose received studies become media jobs.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs" -eq 1' -fa 'send' -d 'Send a received disc (or a folder of files) to a PACS with C-STORE, reconciling the patient.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs" -eq 1' -fa 'transcode' -d 'Rewrite DICOM files in another transfer syntax, losslessly unless --allow-lossy.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs" -eq 1' -fa 'dump' -d 'Print the meta information and data set of DICOM files.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs create" -eq 1' -fa '(__dicomfs_complete_directories)'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs create" o output' -l 'output' -s 'o' -d 'Folder to create; must not exist or be empty.' -rfa '(__dicomfs_complete_directories)'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs create" iso' -l 'iso' -d 'Also master the file-set into this ISO 9660 image.' -rF
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs create" media' -l 'media' -d 'Medium: cd (PS3.12 Annex F names, NAME.;1, 700 MB), dvd, dvd-dl (Annex P names, NAME;1, 4.7/8.5 GB), bd (25 GB; not PS3.12-conformant: BD wants UDF), usb (no capacity). Default: from --profile.' -rfka 'cd dvd dvd-dl bd usb'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs create" capacity' -l 'capacity' -d 'Refuse images larger than this, e.g. 650MB, 4.7GB, 100M (default: the medium\'s capacity).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs create" joliet' -l 'joliet' -d 'Add a Joliet tree (Windows names; same names as ISO 9660).'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs create" no-rock-ridge' -l 'no-rock-ridge' -d 'Leave out Rock Ridge (then Linux shows names in lower case and no per-file MD5s are recorded).'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs create" no-md5' -l 'no-md5' -d 'Do not record the session MD5 and per-file MD5s.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs create" in-place' -l 'in-place' -d 'SOURCE is the file-set: validate its paths as File IDs and write only SOURCE/DICOMDIR.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs create" force' -l 'force' -d 'With --in-place: replace an existing DICOMDIR.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs create" profile' -l 'profile' -d 'PS3.11 application profile.' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs create" fileset-id' -l 'fileset-id' -d 'File-set ID, 0–16 characters of A–Z, 0–9, _.' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs create" fileset-uid' -l 'fileset-uid' -d 'File-set UID (default: a new UID).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs create" descriptor' -l 'descriptor' -d 'A text file to copy into the file-set as its descriptor (e.g. README).' -rF
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs create" descriptor-charset' -l 'descriptor-charset' -d 'Character set of the descriptor file, e.g. ISO_IR 100 or ISO_IR 192.' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs create" icons' -l 'icons' -d 'Put an Icon Image Sequence (PS3.3 F.7) in every IMAGE record: the representative frame, fitted with its aspect kept; grey as MONOCHROME2, colour as PALETTE COLOR.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs create" series-icons' -l 'series-icons' -d 'With --icons: SERIES records get an icon too (their middle image\'s).'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs create" icon-size' -l 'icon-size' -d 'Icon size in pixels: 64 or 128.' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs create" web' -l 'web' -d 'Add IHE PDI web content: INDEX.HTM, README.TXT and IHE_PDI/ with XHTML pages and JPEG renderings.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs create" viewer' -l 'viewer' -d 'Add the offline viewer (VIEWER/, started from INDEX.HTM); implies --web.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs create" viewer-max-size' -l 'viewer-max-size' -d 'With --web: longer side of the pages\' and the viewer\'s images at most, in pixels (smaller images keep their size; default 2048).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs create" viewer-quality' -l 'viewer-quality' -d 'With --web: JPEG quality of the images not kept lossless (PNG for small images and those with burned-in text; default 90).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs create" viewer-values' -l 'viewer-values' -d 'With --viewer: carry each grey series\' modality values too, so that window and level work in real units (CT\'s HU) — a second copy of the pixels, several times the renderings\' size. Without it the viewer shows the renderings, and window and level act on their grey levels.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs create" readme-descriptor' -l 'readme-descriptor' -d 'With --web: make README.TXT the File-set descriptor (0004,1141).'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs create" invent' -l 'invent' -d 'Fill missing Type 1 keys with documented, deterministic values (each is reported).'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs create" skip-invalid' -l 'skip-invalid' -d 'Leave out every file that cannot go in (each listed with its reason) and write the rest; exit status 1.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs create" transcode' -l 'transcode' -d 'Rewrite instances whose transfer syntax the profile refuses, losslessly: Explicit VR Little Endian for STD-GEN-CD, JPEG 2000 Lossless for the J2K profiles, JPEG Lossless SV1 for the JPEG ones (every frame checked after encoding; the source is never changed).'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs create" transcode-to' -l 'transcode-to' -d 'With --transcode: the syntax to write instead (a UID the profile allows: 1.2.840.10008.1.2.1, .4.70, .4.80, .4.90 or 1.2.840.10008.1.2.5 for RLE).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs create" allow-lossy' -l 'allow-lossy' -d 'With --transcode: compress images lossily at this quality, 1–100, in the profile\'s lossy syntax (JPEG Baseline or Extended for the JPEG profiles, JPEG 2000 for the J2K ones), each as a new instance (Image Type DERIVED, new SOP Instance UID, the original in Source Image Sequence, Lossy Image Compression 01 with ratio and method). Never without this option.' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs create" strict' -l 'strict' -d 'Make inconsistencies between instances (same patient or study, different attributes) errors.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs create" dry-run' -l 'dry-run' -d 'Scan and check, print what would be created, write nothing.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs create" json' -l 'json' -d 'Print the report as JSON.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs create" version' -l 'version' -d 'Show the version.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs create" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs ls" -eq 1' -F
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs ls"' -l 'patient-id' -d 'Only this patient (repeatable).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs ls"' -l 'study-uid' -d 'Only this study (repeatable).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs ls"' -l 'series-uid' -d 'Only this series (repeatable).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs ls"' -l 'modality' -d 'Only series of this modality (repeatable), e.g. CT.' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs ls" flat' -l 'flat' -d 'One tab-separated line per instance, with a header line (for scripts).'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs ls" json' -l 'json' -d 'Print the records as JSON.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs ls" version' -l 'version' -d 'Show the version.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs ls" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs verify" -eq 1' -F
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs verify" profile' -l 'profile' -d 'Also check transfer syntaxes against this PS3.11 profile.' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs verify" no-md5' -l 'no-md5' -d 'On an image or drive: skip the MD5 checks.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs verify" json' -l 'json' -d 'Print the report as JSON.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs verify" q quiet' -l 'quiet' -s 'q' -d 'Print errors only.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs verify" version' -l 'version' -d 'Show the version.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs verify" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs add" -ge 1' -F
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs add" media' -l 'media' -d 'Append a session to this disc image or drive instead of updating a folder.' -rF
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs add" profile' -l 'profile' -d 'PS3.11 profile the added files are checked against (default: the narrowest one every instance in the set satisfies).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs add" skip-existing' -l 'skip-existing' -d 'Leave out files whose SOP Instance UID the file-set already holds, instead of refusing.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs add" invent' -l 'invent' -d 'Fill missing Type 1 keys (as create --invent).'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs add" skip-invalid' -l 'skip-invalid' -d 'Leave out every file that cannot go in (each listed with its reason) and add the rest; exit status 1.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs add" strict' -l 'strict' -d 'Make inconsistencies with the file-set\'s records errors.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs add" transcode' -l 'transcode' -d 'Rewrite added instances whose transfer syntax the profile refuses, losslessly, as create --transcode does (the inputs are never changed).'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs add" transcode-to' -l 'transcode-to' -d 'With --transcode: the syntax to write instead (a UID the profile allows).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs add" allow-lossy' -l 'allow-lossy' -d 'With --transcode: compress images lossily at this quality, 1–100, in the profile\'s lossy syntax (JPEG Baseline or Extended for the JPEG profiles, JPEG 2000 for the J2K ones), each as a new instance (Image Type DERIVED, new SOP Instance UID, the original in Source Image Sequence, Lossy Image Compression 01 with ratio and method). Never without this option.' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs add" dry-run' -l 'dry-run' -d 'Check and show what would change, write nothing.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs add" json' -l 'json' -d 'Print the report as JSON.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs add" no-web' -l 'no-web' -d 'Delete the set\'s web content (INDEX.HTM, README.TXT, IHE_PDI/, VIEWER/) instead of regenerating it.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs add" version' -l 'version' -d 'Show the version.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs add" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs remove" -eq 1' -fa '(__dicomfs_complete_directories)'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs remove"' -l 'sop-instance-uid' -d 'Remove this instance (repeatable).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs remove"' -l 'file-id' -d 'Remove the instance at this File ID, e.g. DICOM/P0000001/S0000001/R0000001/I0000001 (repeatable).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs remove"' -l 'series-uid' -d 'Remove this series (repeatable).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs remove"' -l 'study-uid' -d 'Remove this study (repeatable).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs remove"' -l 'patient-id' -d 'Remove this patient (repeatable).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs remove" compact' -l 'compact' -d 'Also drop every inactive (deleted) record and delete the files behind them.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs remove" dry-run' -l 'dry-run' -d 'Check and show what would change, write nothing.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs remove" json' -l 'json' -d 'Print the report as JSON.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs remove" no-web' -l 'no-web' -d 'Delete the set\'s web content (INDEX.HTM, README.TXT, IHE_PDI/, VIEWER/) instead of regenerating it.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs remove" version' -l 'version' -d 'Show the version.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs remove" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs iso" -eq 1' -fa '(__dicomfs_complete_directories)'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs iso" o output' -l 'output' -s 'o' -d 'Image file to write (or a stdio: drive address).' -rF
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs iso" profile' -l 'profile' -d 'PS3.11 profile, which sets the default medium.' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs iso" media' -l 'media' -d 'Medium: cd (PS3.12 Annex F names, NAME.;1, 700 MB), dvd, dvd-dl (Annex P names, NAME;1, 4.7/8.5 GB), bd (25 GB; not PS3.12-conformant: BD wants UDF), usb (no capacity). Default: from --profile.' -rfka 'cd dvd dvd-dl bd usb'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs iso" capacity' -l 'capacity' -d 'Refuse images larger than this, e.g. 650MB, 4.7GB, 100M (default: the medium\'s capacity).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs iso" joliet' -l 'joliet' -d 'Add a Joliet tree (Windows names; same names as ISO 9660).'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs iso" no-rock-ridge' -l 'no-rock-ridge' -d 'Leave out Rock Ridge (then Linux shows names in lower case and no per-file MD5s are recorded).'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs iso" no-md5' -l 'no-md5' -d 'Do not record the session MD5 and per-file MD5s.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs iso" json' -l 'json' -d 'Print the result as JSON.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs iso" force' -l 'force' -d 'Master a set that verify finds errors in (the findings are printed).'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs iso" version' -l 'version' -d 'Show the version.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs iso" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs drives"' -l 'drive' -d 'Also describe this drive address (repeatable), e.g. stdio:/tmp/disc.iso.' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs drives" json' -l 'json' -d 'Print the drives as JSON.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs drives" version' -l 'version' -d 'Show the version.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs drives" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs burn" -eq 1' -F
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs burn" drive' -l 'drive' -d 'Drive: /dev/sr0, or stdio:/path/file for an image file.' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs burn" speed' -l 'speed' -d 'Write speed in × of the medium (default: maximum).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs burn" dummy' -l 'dummy' -d 'Simulate the write (laser off), where the drive and medium allow it.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs burn" multi' -l 'multi' -d 'Leave the disc appendable for more sessions (dicomfs add --media).'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs burn" eject' -l 'eject' -d 'Eject the disc when done.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs burn" no-verify' -l 'no-verify' -d 'Do not read the written session back to verify it.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs burn" force' -l 'force' -d 'Burn a file-set that verify finds errors in (the findings are printed).'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs burn" blank-first' -l 'blank-first' -d 'Erase a rewritable medium first if it is not blank.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs burn" profile' -l 'profile' -d 'PS3.11 profile, which sets the default medium for a file-set.' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs burn" media' -l 'media' -d 'Medium: cd (PS3.12 Annex F names, NAME.;1, 700 MB), dvd, dvd-dl (Annex P names, NAME;1, 4.7/8.5 GB), bd (25 GB; not PS3.12-conformant: BD wants UDF), usb (no capacity). Default: from --profile.' -rfka 'cd dvd dvd-dl bd usb'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs burn" capacity' -l 'capacity' -d 'Refuse images larger than this, e.g. 650MB, 4.7GB, 100M (default: the medium\'s capacity).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs burn" joliet' -l 'joliet' -d 'Add a Joliet tree (Windows names; same names as ISO 9660).'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs burn" no-rock-ridge' -l 'no-rock-ridge' -d 'Leave out Rock Ridge (then Linux shows names in lower case and no per-file MD5s are recorded).'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs burn" no-md5' -l 'no-md5' -d 'Do not record the session MD5 and per-file MD5s.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs burn" json' -l 'json' -d 'Print the result as JSON.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs burn" version' -l 'version' -d 'Show the version.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs burn" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs render" -eq 1' -F
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs render" o output' -l 'output' -s 'o' -d 'Output file; .jpg or .jpeg writes JPEG, anything else PNG.' -rF
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs render" frame' -l 'frame' -d 'Frame number, from 1.' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs render" window' -l 'window' -d 'Window as CENTER,WIDTH in modality units, e.g. 40,400.' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs render" min-max' -l 'min-max' -d 'Window from the smallest to the largest value.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs render" window-index' -l 'window-index' -d 'Which of several windows in the file, from 1.' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs render" size' -l 'size' -d 'Scale down so the longer side is at most this many pixels.' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs render" version' -l 'version' -d 'Show the version.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs render" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs web" -eq 1' -fa '(__dicomfs_complete_directories)'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs web" viewer' -l 'viewer' -d 'Include the offline viewer (default: keep what the set has).'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs web" no-viewer' -l 'no-viewer' -d 'Include the offline viewer (default: keep what the set has).'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs web" version' -l 'version' -d 'Show the version.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs web" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs mime" version' -l 'version' -d 'Show the version.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs mime" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs mime" -eq 1' -fa 'export' -d 'Write a file-set as one MIME multipart/related (or mixed) message.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs mime" -eq 1' -fa 'import' -d 'Rebuild a file-set from a MIME message or its fragments, then verify it.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs mime export" -eq 1' -fa '(__dicomfs_complete_directories)'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs mime export" o output' -l 'output' -s 'o' -d 'The message file to write.' -rF
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs mime export" mixed' -l 'mixed' -d 'multipart/mixed instead of multipart/related.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs mime export" binary' -l 'binary' -d 'Content-Transfer-Encoding binary instead of base64.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs mime export" max-size' -l 'max-size' -d 'Split into message/partial fragments of at most this many bytes, e.g. 10MB.' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs mime export" version' -l 'version' -d 'Show the version.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs mime export" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs mime import" -ge 1' -F
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs mime import" o output' -l 'output' -s 'o' -d 'The file-set folder to create (must not exist, or be empty).' -rfa '(__dicomfs_complete_directories)'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs mime import" max-bytes' -l 'max-bytes' -d 'Refuse messages whose parts decode to more than this, e.g. 20GB.' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs mime import" json' -l 'json' -d 'Print the report as JSON.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs mime import" version' -l 'version' -d 'Show the version.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs mime import" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs zip" -eq 1' -fa '(__dicomfs_complete_directories)'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs zip" o output' -l 'output' -s 'o' -d 'The archive to write.' -rF
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs zip" version' -l 'version' -d 'Show the version.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs zip" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs unzip" -eq 1' -F
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs unzip" o output' -l 'output' -s 'o' -d 'The file-set folder to create (must not exist, or be empty).' -rfa '(__dicomfs_complete_directories)'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs unzip" json' -l 'json' -d 'Print the report as JSON.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs unzip" version' -l 'version' -d 'Show the version.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs unzip" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request" version' -l 'version' -d 'Show the version.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs request" -eq 1' -fa 'create' -d 'Write a job from a request (like N-CREATE); only the request\'s syntax is checked.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs request" -eq 1' -fa 'run' -d 'Create the media of a job (like N-ACTION Initiate Media Creation).'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs request" -eq 1' -fa 'retry' -d 'Run a job that ended in FAILURE or CANCELED again, from the start.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs request" -eq 1' -fa 'status' -d 'Show a job\'s status (like N-GET).'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs request" -eq 1' -fa 'cancel' -d 'Cancel a job that has not started creating media (C201/C202 once it has).'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs request" -eq 1' -fa 'watch' -d 'Run request files dropped into a hot folder, one at a time.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request create" store' -l 'store' -d 'Folder of DICOM files the instances are taken from.' -rfa '(__dicomfs_complete_directories)'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request create" o output' -l 'output' -s 'o' -d 'The job folder to create.' -rfa '(__dicomfs_complete_directories)'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request create" from' -l 'from' -d 'A request file: Part 10 (SOP Class 1.2.840.10008.5.1.1.33) or DICOM JSON.' -rF
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request create"' -l 'instance' -d 'An instance to put on media: SOP Instance UID, optionally ,SOP Class UID (repeatable).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request create" profile' -l 'profile' -d 'Requested Media Application Profile for the instances given with --instance.' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request create" fileset-id' -l 'fileset-id' -d 'Storage Media File-Set ID.' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request create" fileset-uid' -l 'fileset-uid' -d 'Storage Media File-Set UID.' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request create" label-text' -l 'label-text' -d 'Label Text.' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request create" label-style' -l 'label-style' -d 'Label Style Selection: full (patients and up to three studies each; default) or compact (one larger line per patient).' -rfka 'full compact'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request create" label-from-instances' -l 'label-from-instances' -d 'Label Using Information Extracted From Instances: YES.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request create" barcode' -l 'barcode' -d 'Barcode Value.' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request create" barcode-symbology' -l 'barcode-symbology' -d 'Barcode Symbology, e.g. CODE128 or QR.' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request create" no-splitting' -l 'no-splitting' -d 'Allow Media Splitting: NO.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request create" allow-lossy' -l 'allow-lossy' -d 'Allow Lossy Compression YES: a job run with --transcode may compress images lossily (request run --lossy-quality).'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request create" include-non-dicom' -l 'include-non-dicom' -d 'Include Non-DICOM Objects: NO, FOR_PHYSICIAN, FOR_PATIENT, FOR_TEACHING, FOR_RESEARCH.' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request create" display-application' -l 'display-application' -d 'Include Display Application: YES (the offline viewer).'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request create" copies' -l 'copies' -d 'Number of Copies.' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request create" priority' -l 'priority' -d 'Request Priority: HIGH, MED or LOW.' -rfka 'HIGH MED LOW'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request create" version' -l 'version' -d 'Show the version.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request create" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs request run" -eq 1' -fa '(__dicomfs_complete_directories)'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request run" copies' -l 'copies' -d 'Number of Copies (overrides the request).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request run" priority' -l 'priority' -d 'Request Priority: HIGH, MED or LOW.' -rfka 'HIGH MED LOW'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request run" capacity' -l 'capacity' -d 'Capacity of one volume, e.g. 700MB (default: the profile\'s medium).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request run"' -l 'drive' -d 'Burn every copy of every volume to these drives in turn (repeatable; stdio:/path works).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request run" skip-invalid' -l 'skip-invalid' -d 'Leave out each instance that cannot go on media as it is (listed as failed, 0110H, with why) and create the rest.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request run" transcode' -l 'transcode' -d 'Rewrite instances whose transfer syntax the profile refuses in one it allows, losslessly, instead of failing them (0122H); when a volume\'s share does not fit its medium, compress the images stored natively losslessly first (JPEG-LS, JPEG 2000 or JPEG Lossless, as the profile allows) before splitting; with the request\'s Allow Lossy Compression YES, compress images lossily at --lossy-quality.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request run" lossy-quality' -l 'lossy-quality' -d 'With --transcode and Allow Lossy Compression YES in the request: the quality, 1–100 (default 90).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request run" label-logo' -l 'label-logo' -d 'A PNG logo drawn at the top of every label.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'png\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request run" json' -l 'json' -d 'Print the final status as JSON.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request run" version' -l 'version' -d 'Show the version.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request run" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs request retry" -eq 1' -fa '(__dicomfs_complete_directories)'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request retry" copies' -l 'copies' -d 'Number of Copies (overrides the request).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request retry" priority' -l 'priority' -d 'Request Priority: HIGH, MED or LOW.' -rfka 'HIGH MED LOW'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request retry" capacity' -l 'capacity' -d 'Capacity of one volume, e.g. 700MB (default: the profile\'s medium).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request retry"' -l 'drive' -d 'Burn every copy of every volume to these drives in turn (repeatable; stdio:/path works).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request retry" skip-invalid' -l 'skip-invalid' -d 'Leave out each instance that cannot go on media as it is (listed as failed, 0110H, with why) and create the rest.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request retry" transcode' -l 'transcode' -d 'Rewrite instances whose transfer syntax the profile refuses in one it allows, losslessly, instead of failing them (0122H); when a volume\'s share does not fit its medium, compress the images stored natively losslessly first (JPEG-LS, JPEG 2000 or JPEG Lossless, as the profile allows) before splitting; with the request\'s Allow Lossy Compression YES, compress images lossily at --lossy-quality.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request retry" lossy-quality' -l 'lossy-quality' -d 'With --transcode and Allow Lossy Compression YES in the request: the quality, 1–100 (default 90).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request retry" label-logo' -l 'label-logo' -d 'A PNG logo drawn at the top of every label.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'png\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request retry" json' -l 'json' -d 'Print the final status as JSON.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request retry" version' -l 'version' -d 'Show the version.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request retry" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs request status" -eq 1' -fa '(__dicomfs_complete_directories)'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request status" json' -l 'json' -d 'Print the status as JSON.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request status" version' -l 'version' -d 'Show the version.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request status" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs request cancel" -eq 1' -fa '(__dicomfs_complete_directories)'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request cancel" version' -l 'version' -d 'Show the version.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request cancel" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs request watch" -eq 1' -fa '(__dicomfs_complete_directories)'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request watch" store' -l 'store' -d 'Folder of DICOM files the instances are taken from.' -rfa '(__dicomfs_complete_directories)'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request watch" out' -l 'out' -d 'Folder for the job folders.' -rfa '(__dicomfs_complete_directories)'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request watch" interval' -l 'interval' -d 'Seconds between looks at the inbox.' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request watch" once' -l 'once' -d 'Process what the inbox holds now, then exit.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request watch" version' -l 'version' -d 'Show the version.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs request watch" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs serve" config' -l 'config' -d 'Station configuration (TOML): server, TLS, recipes per called AE title, allowed callers. Options given here take precedence.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'toml\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs serve" host' -l 'host' -d 'Address to listen on (127.0.0.1 for this machine only, 0.0.0.0 or :: for every interface; default 0.0.0.0).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs serve" port' -l 'port' -d 'TCP port (default 11112, the registered non-privileged DICOM port).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs serve"' -l 'ae' -d 'Called AE title to answer (repeatable; default DICOMFS).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs serve" spool' -l 'spool' -d 'Folder for received instances.' -rfa '(__dicomfs_complete_directories)'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs serve" out' -l 'out' -d 'Folder for the jobs and their images.' -rfa '(__dicomfs_complete_directories)'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs serve" idle' -l 'idle' -d 'Seconds without a new instance after which a study becomes a job (default 60).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs serve"' -l 'allow-calling-ae' -d 'Calling AE title allowed to send (repeatable; default: any).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs serve"' -l 'allow-address' -d 'Peer address allowed to connect (repeatable; default: any).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs serve" max-associations' -l 'max-associations' -d 'Associations served at once; more are rejected (transient; default 32).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs serve" max-pdu' -l 'max-pdu' -d 'Maximum PDU length advertised and accepted, in bytes (4096–16777216; default 65536).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs serve" timeout' -l 'timeout' -d 'Seconds a silent association (or a connection without A-ASSOCIATE-RQ) is kept (default 60).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs serve" max-instance' -l 'max-instance' -d 'Largest instance accepted, e.g. 2GB (A700 beyond; default 4GiB).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs serve" max-spool' -l 'max-spool' -d 'Largest the spool may grow, e.g. 200GB: instances beyond are refused with A700.' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs serve" min-free' -l 'min-free' -d 'Free space to keep on OUT\'s disk, e.g. 5GB: a job that would leave less waits (an N-ACTION gets 0213H).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs serve" profile' -l 'profile' -d 'Profile of the discs (PS3.11; default STD-GEN-CD).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs serve" web' -l 'web' -d 'Add IHE PDI web content to each disc.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs serve" viewer' -l 'viewer' -d 'Add the offline viewer to each disc.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs serve" copies' -l 'copies' -d 'Copies of each disc (default 1).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs serve"' -l 'drive' -d 'Burn to these drives in turn (repeatable); without, the images stay in OUT.' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs serve" capacity' -l 'capacity' -d 'Capacity of one volume, e.g. 700MB (default: the profile\'s medium).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs serve" label-text' -l 'label-text' -d 'Label Text printed on each disc\'s label.' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs serve" label-style' -l 'label-style' -d 'Label style: full (patients and up to three studies each; default) or compact (one larger line per patient).' -rfka 'full compact'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs serve" label-logo' -l 'label-logo' -d 'A PNG logo drawn at the top of every label.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'png\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs serve" transcode' -l 'transcode' -d 'Rewrite instances whose syntax the profile refuses as Explicit VR Little Endian (default on).'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs serve" no-transcode' -l 'no-transcode' -d 'Rewrite instances whose syntax the profile refuses as Explicit VR Little Endian (default on).'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs serve" lossy-quality' -l 'lossy-quality' -d 'Quality (1–100) of the lossy compression a Media Creation request with Allow Lossy Compression YES gets, where the profile has a lossy syntax (default 90).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs serve" no-jobs' -l 'no-jobs' -d 'Receive only: keep the studies in the spool and make no jobs.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs serve" mcm' -l 'mcm' -d 'Media Creation Management SCP (PS3.4 Annex S): jobs come from N-CREATE/N-ACTION over the network, not from idle studies.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs serve" mcm-wait' -l 'mcm-wait' -d 'With --mcm: seconds an initiated request waits for referenced instances still arriving (0: missing ones fail the N-ACTION at once; default 60).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs serve" tls-cert' -l 'tls-cert' -d 'TLS: the server certificate chain (PEM). With --tls-key, the port speaks DICOM TLS only.' -rF
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs serve" tls-key' -l 'tls-key' -d 'TLS: the server\'s private key (PEM).' -rF
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs serve" tls-ca' -l 'tls-ca' -d 'TLS: CA certificates (PEM); clients must present a certificate one of them signed.' -rF
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs serve" status' -l 'status' -d 'Write a JSON status (associations, studies waiting, spool bytes, jobs) to this file every few seconds.' -rF
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs serve" log-level' -l 'log-level' -d 'Log level: trace, debug, info, notice, warning, error (default info).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs serve" version' -l 'version' -d 'Show the version.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs serve" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs send" -eq 1' -F
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs send" to' -l 'to' -d 'Where to: AE@host:port (e.g. PACS@10.0.0.5:104).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs send" calling-ae' -l 'calling-ae' -d 'Our AE title (Calling AE).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs send"' -l 'set' -d 'Set an attribute in every instance sent, e.g. PatientID=LOCAL123 (repeatable).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs send" map' -l 'map' -d 'CSV of old Patient ID,new Patient ID[,new Patient\'s Name]: the patient mapped per instance.' -rF
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs send" journal' -l 'journal' -d 'File recording the instances acknowledged; a re-run with it sends only the rest.' -rF
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs send" force' -l 'force' -d 'Send even when verification finds errors.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs send" dry-run' -l 'dry-run' -d 'Show what would be sent and changed; send nothing.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs send" new-uids' -l 'new-uids' -d 'New Study, Series and SOP Instance UIDs on the copy sent (and in the set\'s references to them), derived from the old ones so that a re-run gives the same; the old ones go into Original Attributes Sequence.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs send" tls-ca' -l 'tls-ca' -d 'TLS: trust these CA certificates (PEM) for the peer.' -rF
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs send" tls-cert' -l 'tls-cert' -d 'TLS: our certificate (PEM), with --tls-key.' -rF
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs send" tls-key' -l 'tls-key' -d 'TLS: our private key (PEM).' -rF
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs send" timeout' -l 'timeout' -d 'Seconds to wait for the peer.' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs send" json' -l 'json' -d 'Print the report as JSON.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs send" version' -l 'version' -d 'Show the version.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs send" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs transcode" -ge 1' -F
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs transcode" o output' -l 'output' -s 'o' -d 'Folder to write into (created when missing; existing files are not written over).' -rfa '(__dicomfs_complete_directories)'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs transcode" to' -l 'to' -d 'Transfer syntax UID to write (default 1.2.840.10008.1.2.1, Explicit VR Little Endian).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs transcode" allow-lossy' -l 'allow-lossy' -d 'Allow --to a lossy syntax (1.2.840.10008.1.2.4.50, .4.51, .4.91) at this quality, 1–100 (JPEG\'s quality scale; for JPEG 2000, 90 is a 6:1 ratio, 75 13.5:1).' -rfka ''
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs transcode" version' -l 'version' -d 'Show the version.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs transcode" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_positional "dicomfs dump" -ge 1' -F
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs dump" json' -l 'json' -d 'Print the DICOM JSON model instead of text.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs dump" inline-binary' -l 'inline-binary' -d 'With --json: include bulk data as base64 InlineBinary.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs dump" meta' -l 'meta' -d 'With --json: include the File Meta Information elements.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs dump" header-only' -l 'header-only' -d 'Stop before Pixel Data and skip large binary values (reads only the header).'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs dump" full' -l 'full' -d 'Do not cut long values.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs dump" offsets' -l 'offsets' -d 'Show each element\'s byte offset.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs dump" strict' -l 'strict' -d 'Stop at the first odd length or VR that contradicts the dictionary (exit status 2).'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs dump" q quiet' -l 'quiet' -s 'q' -d 'Do not print warnings.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs dump" version' -l 'version' -d 'Show the version.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs dump" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'dicomfs' -n '__dicomfs_should_offer_completions_for_flags_or_options "dicomfs help" version' -l 'version' -d 'Show the version.'
