import DICOM

/// The keys each record type carries (PS3.3 §F.5 tables), as data.
///
/// Type 1: present with a value (missing → error, or invented with --invent). Type 2: present,
/// empty allowed. Conditional (1C/3): copied when the instance has it.
public enum KeyType: Sendable { case type1, type2, conditional }

public struct KeySpec: Sendable {
    public let tag: Tag
    public let type: KeyType
    init(_ tag: Tag, _ type: KeyType) { self.tag = tag; self.type = type }
}

public enum RecordKeys {
    /// Values compared between the instances of one PATIENT, STUDY or SERIES record: create
    /// and add report (or, with --strict, refuse) instances that disagree on them.
    public static func consistencyTags(for type: RecordType) -> [Tag] {
        switch type {
        case .patient: return [.patientName, .patientBirthDate, .patientSex]
        case .study: return [.studyDate, .studyTime, .studyID, .accessionNumber, .studyDescription]
        case .series: return [.modality, .seriesNumber]
        default: return []
        }
    }

    /// Where `--invent` takes a missing Type 1 key's value from, in order of preference (then
    /// a documented constant; man page, --invent).
    public static func inventionSources(for tag: Tag) -> [Tag] {
        switch tag {
        case .studyDate: return [.seriesDate, .acquisitionDate, .contentDate]
        case .studyTime: return [.seriesTime, .acquisitionTime, .contentTime]
        case .studyID: return [.accessionNumber]
        default: return []
        }
    }

    /// Elements a leaf record's keys are made from besides the keys themselves: the SR
    /// content tree and verification (SR records), the shared functional groups (enhanced
    /// images keep some keys there), Related General SOP Class (which leaf type).
    static let leafSources: [Tag] = [.instanceNumber, .contentSequence, .verificationFlag, .verifyingObserverSequence,
                                     .sharedFunctionalGroupsSequence, .relatedGeneralSOPClassUID]

    /// Every element a scan keeps of an instance for records of `type`: the record's keys,
    /// the profile's extra keys, the values compared and those `--invent` draws from. The
    /// scanner keeps exactly these, so a rule added here is one the scan feeds.
    static func keptTags(for type: RecordType, profile: ApplicationProfile) -> Set<Tag> {
        let keys = keys(for: type).map(\.tag)
        var tags = Set(keys).union(profile.extraKeys(for: type)).union(consistencyTags(for: type)).union([.specificCharacterSet])
        for k in keys { tags.formUnion(inventionSources(for: k)) }
        if type.isLeaf { tags.formUnion(leafSources) }
        return tags
    }

    /// Content Identification Macro (PS3.3 Table 10-12) as the F.5 tables use it.
    private static let contentIdentification: [KeySpec] = [
        KeySpec(.instanceNumber, .type1), KeySpec(.contentLabel, .type1),
        KeySpec(.contentDescription, .type2), KeySpec(.contentCreatorName, .type2),
    ]
    private static let contentDateTime: [KeySpec] = [KeySpec(.contentDate, .type1), KeySpec(.contentTime, .type1)]

    /// The keys of a record type (computed once per type).
    public static func keys(for type: RecordType) -> [KeySpec] { byType[Int(type.caseIndex)] }

    /// Indexed by `caseIndex` (asked once per record made or verified: an array read, no hash).
    private static let byType: [[KeySpec]] = RecordType.allCases.map { computeKeys(for: $0) }

    private static func computeKeys(for type: RecordType) -> [KeySpec] {
        switch type {
        case .patient:
            return [KeySpec(.patientName, .type2), KeySpec(.patientID, .type1)]
        case .study:
            return [KeySpec(.studyDate, .type1), KeySpec(.studyTime, .type1), KeySpec(.accessionNumber, .type2),
                    KeySpec(.studyDescription, .type2), KeySpec(.studyInstanceUID, .type1), KeySpec(.studyID, .type1)]
        case .series:
            return [KeySpec(.modality, .type1), KeySpec(.seriesInstanceUID, .type1), KeySpec(.seriesNumber, .type1)]
        case .image:
            return [KeySpec(.instanceNumber, .type1)]
        case .rtDose:
            return [KeySpec(.instanceNumber, .type1), KeySpec(.doseSummationType, .type1)]
        case .rtStructureSet:
            return [KeySpec(.instanceNumber, .type1), KeySpec(.structureSetLabel, .type1),
                    KeySpec(.structureSetDate, .type2), KeySpec(.structureSetTime, .type2)]
        case .rtPlan:
            return [KeySpec(.instanceNumber, .type1), KeySpec(.rtPlanLabel, .type1),
                    KeySpec(.rtPlanDate, .type2), KeySpec(.rtPlanTime, .type2)]
        case .rtTreatRecord:
            return [KeySpec(.instanceNumber, .type1), KeySpec(.treatmentDate, .type2), KeySpec(.treatmentTime, .type2)]
        case .presentation:
            return contentIdentification + [KeySpec(.presentationCreationDate, .type1), KeySpec(.presentationCreationTime, .type1),
                                            KeySpec(.referencedSeriesSequence, .conditional), KeySpec(.blendingSequence, .conditional)]
        case .waveform:
            return [KeySpec(.instanceNumber, .type1)] + contentDateTime
        case .srDocument:
            return [KeySpec(.instanceNumber, .type1), KeySpec(.completionFlag, .type1), KeySpec(.verificationFlag, .type1),
                    KeySpec(.verificationDateTime, .conditional), KeySpec(.conceptNameCodeSequence, .type1)] + contentDateTime
        case .keyObjectDoc:
            return [KeySpec(.instanceNumber, .type1), KeySpec(.conceptNameCodeSequence, .type1)] + contentDateTime
        case .spectroscopy:
            return [KeySpec(.imageType, .type1), KeySpec(.instanceNumber, .type1), KeySpec(.numberOfFrames, .type1),
                    KeySpec(.rows, .type1), KeySpec(.columns, .type1), KeySpec(.dataPointRows, .type1),
                    KeySpec(.dataPointColumns, .type1)] + contentDateTime
        case .rawData:
            return contentDateTime + [KeySpec(.instanceNumber, .type2)]
        case .registration, .fiducial, .valueMap, .measurement, .surface, .tract:
            return contentDateTime + contentIdentification
        case .surfaceScan:
            return contentDateTime
        case .hangingProtocol:
            return [KeySpec(.hangingProtocolName, .type1), KeySpec(.hangingProtocolDescription, .type1),
                    KeySpec(.hangingProtocolLevel, .type1), KeySpec(.hangingProtocolCreator, .type1),
                    KeySpec(.hangingProtocolCreationDateTime, .type1), KeySpec(.hangingProtocolDefinitionSequence, .type1),
                    KeySpec(.numberOfPriorsReferenced, .type1)]
        case .encapDoc:
            return [KeySpec(.contentDate, .type2), KeySpec(.contentTime, .type2), KeySpec(.instanceNumber, .type1),
                    KeySpec(.documentTitle, .type2), KeySpec(.hl7InstanceIdentifier, .conditional),
                    KeySpec(.conceptNameCodeSequence, .type2), KeySpec(.mimeTypeOfEncapsulatedDocument, .type1)]
        case .palette:
            return [KeySpec(.contentLabel, .type1), KeySpec(.contentDescription, .type2)]
        case .implant:
            return [KeySpec(.manufacturer, .type1), KeySpec(.implantName, .type1), KeySpec(.implantPartNumber, .type1),
                    KeySpec(.implantSize, .conditional)]
        case .implantAssy:
            return [KeySpec(.implantAssemblyTemplateName, .type1), KeySpec(.manufacturer, .type1),
                    KeySpec(.procedureTypeCodeSequence, .type1)]
        case .implantGroup:
            return [KeySpec(.implantTemplateGroupName, .type1), KeySpec(.implantTemplateGroupIssuer, .type1)]
        case .assessment:
            return [KeySpec(.instanceNumber, .type1), KeySpec(.instanceCreationDate, .type1), KeySpec(.instanceCreationTime, .type2)]
        case .radiotherapy:
            return [KeySpec(.instanceNumber, .type1), KeySpec(.userContentLabel, .conditional),
                    KeySpec(.userContentLongLabel, .conditional), KeySpec(.contentDescription, .type2),
                    KeySpec(.contentCreatorName, .type2)]
        case .stereometric, .plan, .inventory, .private:
            return []
        }
    }
}
