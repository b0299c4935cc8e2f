import DICOM

/// SOP Class UID → the leaf directory record type that references its instances (PS3.3
/// Annex F, PS3.4 Annex B). Every storage class not listed here is an IMAGE.
///
/// The first 71 rows are the classes whose record is not IMAGE as pydicom 3.0.2 and
/// PS3.3 Annex F list them. RT PLAN, ENCAP DOC, RADIOTHERAPY (second-generation RT) and PLAN
/// (RT delivery instructions) follow the assignments DCMTK and pydicom agree on; Enhanced
/// RT Image classes (…481.23/.24) stay IMAGE.
enum SOPClassRecordTypes {
    static let table: [(uid: String, type: RecordType)] = [
        ("1.2.840.10008.5.1.4.1.1.90.1", .assessment),  // Content Assessment Results Storage
        ("1.2.840.10008.5.1.4.1.1.66.2", .fiducial),  // Spatial Fiducials Storage
        ("1.2.840.10008.5.1.4.38.1", .hangingProtocol),  // Hanging Protocol Storage
        ("1.2.840.10008.5.1.4.43.1", .implant),  // Generic Implant Template Storage
        ("1.2.840.10008.5.1.4.44.1", .implantAssy),  // Implant Assembly Template Storage
        ("1.2.840.10008.5.1.4.45.1", .implantGroup),  // Implant Template Group Storage
        ("1.2.840.10008.5.1.4.1.1.88.59", .keyObjectDoc),  // Key Object Selection Document Storage
        ("1.2.840.10008.5.1.4.1.1.78.1", .measurement),  // Lensometry Measurements Storage
        ("1.2.840.10008.5.1.4.1.1.78.2", .measurement),  // Autorefraction Measurements Storage
        ("1.2.840.10008.5.1.4.1.1.78.3", .measurement),  // Keratometry Measurements Storage
        ("1.2.840.10008.5.1.4.1.1.78.4", .measurement),  // Subjective Refraction Measurements Storage
        ("1.2.840.10008.5.1.4.1.1.78.5", .measurement),  // Visual Acuity Measurements Storage
        ("1.2.840.10008.5.1.4.1.1.78.7", .measurement),  // Ophthalmic Axial Measurements Storage
        ("1.2.840.10008.5.1.4.1.1.80.1", .measurement),  // Ophthalmic Visual Field Static Perimetry Measurements Storage
        ("1.2.840.10008.5.1.4.39.1", .palette),  // Color Palette Storage
        ("1.2.840.10008.5.1.4.1.1.11.1", .presentation),  // Grayscale Softcopy Presentation State Storage
        ("1.2.840.10008.5.1.4.1.1.11.2", .presentation),  // Color Softcopy Presentation State Storage
        ("1.2.840.10008.5.1.4.1.1.11.3", .presentation),  // Pseudo-Color Softcopy Presentation State Storage
        ("1.2.840.10008.5.1.4.1.1.11.4", .presentation),  // Blending Softcopy Presentation State Storage
        ("1.2.840.10008.5.1.4.1.1.11.5", .presentation),  // XA/XRF Grayscale Softcopy Presentation State Storage
        ("1.2.840.10008.5.1.4.1.1.131", .presentation),  // Basic Structured Display Storage
        ("1.2.840.10008.5.1.4.1.1.66", .rawData),  // Raw Data Storage
        ("1.2.840.10008.5.1.4.1.1.66.1", .registration),  // Spatial Registration Storage
        ("1.2.840.10008.5.1.4.1.1.66.3", .registration),  // Deformable Spatial Registration Storage
        ("1.2.840.10008.5.1.4.1.1.481.2", .rtDose),  // RT Dose Storage
        ("1.2.840.10008.5.1.4.1.1.481.3", .rtStructureSet),  // RT Structure Set Storage
        ("1.2.840.10008.5.1.4.1.1.481.4", .rtTreatRecord),  // RT Beams Treatment Record Storage
        ("1.2.840.10008.5.1.4.1.1.481.6", .rtTreatRecord),  // RT Brachy Treatment Record Storage
        ("1.2.840.10008.5.1.4.1.1.481.7", .rtTreatRecord),  // RT Treatment Summary Record Storage
        ("1.2.840.10008.5.1.4.1.1.481.9", .rtTreatRecord),  // RT Ion Beams Treatment Record Storage
        ("1.2.840.10008.5.1.4.1.1.4.2", .spectroscopy),  // MR Spectroscopy Storage
        ("1.2.840.10008.5.1.4.1.1.78.6", .srDocument),  // Spectacle Prescription Report Storage
        ("1.2.840.10008.5.1.4.1.1.79.1", .srDocument),  // Macular Grid Thickness and Volume Report Storage
        ("1.2.840.10008.5.1.4.1.1.88.11", .srDocument),  // Basic Text SR Storage
        ("1.2.840.10008.5.1.4.1.1.88.22", .srDocument),  // Enhanced SR Storage
        ("1.2.840.10008.5.1.4.1.1.88.33", .srDocument),  // Comprehensive SR Storage
        ("1.2.840.10008.5.1.4.1.1.88.34", .srDocument),  // Comprehensive 3D SR Storage
        ("1.2.840.10008.5.1.4.1.1.88.35", .srDocument),  // Extensible SR Storage
        ("1.2.840.10008.5.1.4.1.1.88.40", .srDocument),  // Procedure Log Storage
        ("1.2.840.10008.5.1.4.1.1.88.50", .srDocument),  // Mammography CAD SR Storage
        ("1.2.840.10008.5.1.4.1.1.88.65", .srDocument),  // Chest CAD SR Storage
        ("1.2.840.10008.5.1.4.1.1.88.67", .srDocument),  // X-Ray Radiation Dose SR Storage
        ("1.2.840.10008.5.1.4.1.1.88.68", .srDocument),  // Radiopharmaceutical Radiation Dose SR Storage
        ("1.2.840.10008.5.1.4.1.1.88.69", .srDocument),  // Colon CAD SR Storage
        ("1.2.840.10008.5.1.4.1.1.88.70", .srDocument),  // Implantation Plan SR Storage
        ("1.2.840.10008.5.1.4.1.1.88.71", .srDocument),  // Acquisition Context SR Storage
        ("1.2.840.10008.5.1.4.1.1.88.72", .srDocument),  // Simplified Adult Echo SR Storage
        ("1.2.840.10008.5.1.4.1.1.88.73", .srDocument),  // Patient Radiation Dose SR Storage
        ("1.2.840.10008.5.1.4.1.1.88.74", .srDocument),  // Planned Imaging Agent Administration SR Storage
        ("1.2.840.10008.5.1.4.1.1.88.75", .srDocument),  // Performed Imaging Agent Administration SR Storage
        ("1.2.840.10008.5.1.4.1.1.77.1.5.3", .stereometric),  // Stereometric Relationship Storage
        ("1.2.840.10008.5.1.4.1.1.66.5", .surface),  // Surface Segmentation Storage
        ("1.2.840.10008.5.1.4.1.1.68.1", .surfaceScan),  // Surface Scan Mesh Storage
        ("1.2.840.10008.5.1.4.1.1.68.2", .surfaceScan),  // Surface Scan Point Cloud Storage
        ("1.2.840.10008.5.1.4.1.1.66.6", .tract),  // Tractography Results Storage
        ("1.2.840.10008.5.1.4.1.1.67", .valueMap),  // Real World Value Mapping Storage
        ("1.2.840.10008.5.1.4.1.1.9.1.1", .waveform),  // 12-lead ECG Waveform Storage
        ("1.2.840.10008.5.1.4.1.1.9.1.2", .waveform),  // General ECG Waveform Storage
        ("1.2.840.10008.5.1.4.1.1.9.1.3", .waveform),  // Ambulatory ECG Waveform Storage
        ("1.2.840.10008.5.1.4.1.1.9.2.1", .waveform),  // Hemodynamic Waveform Storage
        ("1.2.840.10008.5.1.4.1.1.9.3.1", .waveform),  // Cardiac Electrophysiology Waveform Storage
        ("1.2.840.10008.5.1.4.1.1.9.4.1", .waveform),  // Basic Voice Audio Waveform Storage
        ("1.2.840.10008.5.1.4.1.1.9.4.2", .waveform),  // General Audio Waveform Storage
        ("1.2.840.10008.5.1.4.1.1.9.5.1", .waveform),  // Arterial Pulse Waveform Storage
        ("1.2.840.10008.5.1.4.1.1.9.6.1", .waveform),  // Respiratory Waveform Storage
        ("1.2.840.10008.5.1.4.1.1.9.6.2", .waveform),  // Multi-channel Respiratory Waveform Storage
        ("1.2.840.10008.5.1.4.1.1.9.7.1", .waveform),  // Routine Scalp Electroencephalogram Waveform Storage
        ("1.2.840.10008.5.1.4.1.1.9.7.2", .waveform),  // Electromyogram Waveform Storage
        ("1.2.840.10008.5.1.4.1.1.9.7.3", .waveform),  // Electrooculogram Waveform Storage
        ("1.2.840.10008.5.1.4.1.1.9.7.4", .waveform),  // Sleep Electroencephalogram Waveform Storage
        ("1.2.840.10008.5.1.4.1.1.9.8.1", .waveform),  // Body Position Waveform Storage
        ("1.2.840.10008.5.1.4.1.1.481.5", .rtPlan),  // RT Plan Storage
        ("1.2.840.10008.5.1.4.1.1.481.8", .rtPlan),  // RT Ion Plan Storage
        ("1.2.840.10008.5.1.4.1.1.104.1", .encapDoc),  // Encapsulated PDF Storage
        ("1.2.840.10008.5.1.4.1.1.104.2", .encapDoc),  // Encapsulated CDA Storage
        ("1.2.840.10008.5.1.4.1.1.104.3", .encapDoc),  // Encapsulated STL Storage
        ("1.2.840.10008.5.1.4.1.1.104.4", .encapDoc),  // Encapsulated OBJ Storage
        ("1.2.840.10008.5.1.4.1.1.104.5", .encapDoc),  // Encapsulated MTL Storage
        ("1.2.840.10008.5.1.4.1.1.481.10", .radiotherapy),  // RT Physician Intent Storage
        ("1.2.840.10008.5.1.4.1.1.481.11", .radiotherapy),  // RT Segment Annotation Storage
        ("1.2.840.10008.5.1.4.1.1.481.12", .radiotherapy),  // RT Radiation Set Storage
        ("1.2.840.10008.5.1.4.1.1.481.13", .radiotherapy),  // C-Arm Photon-Electron Radiation Storage
        ("1.2.840.10008.5.1.4.1.1.481.14", .radiotherapy),  // Tomotherapeutic Radiation Storage
        ("1.2.840.10008.5.1.4.1.1.481.15", .radiotherapy),  // Robotic-Arm Radiation Storage
        ("1.2.840.10008.5.1.4.1.1.481.16", .radiotherapy),  // RT Radiation Record Set Storage
        ("1.2.840.10008.5.1.4.1.1.481.17", .radiotherapy),  // RT Radiation Salvage Record Storage
        ("1.2.840.10008.5.1.4.1.1.481.18", .radiotherapy),  // Tomotherapeutic Radiation Record Storage
        ("1.2.840.10008.5.1.4.1.1.481.19", .radiotherapy),  // C-Arm Photon-Electron Radiation Record Storage
        ("1.2.840.10008.5.1.4.1.1.481.20", .radiotherapy),  // Robotic Radiation Record Storage
        ("1.2.840.10008.5.1.4.1.1.481.22", .radiotherapy),  // RT Treatment Preparation Storage
        ("1.2.840.10008.5.1.4.1.1.481.21", .plan),  // RT Radiation Set Delivery Instruction Storage
        ("1.2.840.10008.5.1.4.1.1.481.25", .plan),  // RT Patient Position Acquisition Instruction Storage
        ("1.2.840.10008.5.1.4.34.7", .plan),  // RT Beams Delivery Instruction Storage
        ("1.2.840.10008.5.1.4.34.10", .plan),  // RT Brachy Application Setup Delivery Instruction Storage
    ]

    static let byUID: [String: RecordType] = Dictionary(table.map { ($0.uid, $0.type) }, uniquingKeysWith: { a, _ in a })
}
