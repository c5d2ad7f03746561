"""The hand-curated part of the baseline: how the 44 modules and macros of the Dermoscopy IOD are encoded.

These tables were written when the catalog held only the modules that the Dermoscopic Photography Image IOD names
(from ``existing-modules.json``); ``make_baseline.py`` applies them on top of what it derives from
``ps33-structure.json`` so that those modules keep their reviewed encoding:

- :data:`SECTIONS`: names, sections and table labels as PS3.3 writes them (they win over the source's);
- :data:`BINARY_VALUES`: binary value sets spelled out with PS3.3's meanings (they win over dicom3tools');
- :data:`STRUCTURED` and :data:`NAMED`: template conditions as a structured condition, or by name with a sentence
  in our own words (both win over the automatic translation, wherever the condition is used);
- :data:`UNNAMED`: sentences for Type 1C/2C rows that the templates leave without a condition;
- :data:`MAY_BE_PRESENT`: where PS3.3 says "may be present otherwise";
- :data:`TYPE_OVERRIDES` and :data:`TYPE_3C_NOTES`: rows whose template Type differs from the PS3.3 table.

Keys are dicom3tools identifiers (template and condition names). This module holds data only.
"""

from __future__ import annotations

#: JSON id -> (name as PS3.3 writes it, section, table label when it is not "<section>-1").
SECTIONS: dict[str, tuple[str, str, str | None]] = {
    # modules
    "Patient": ("Patient", "C.7.1.1", "C.7-1"),
    "ClinicalTrialSubject": ("Clinical Trial Subject", "C.7.1.3", "C.7-2b"),
    "GeneralStudy": ("General Study", "C.7.2.1", "C.7-3"),
    "PatientStudy": ("Patient Study", "C.7.2.2", "C.7-4a"),
    "ClinicalTrialStudy": ("Clinical Trial Study", "C.7.2.3", "C.7-4b"),
    "GeneralSeries": ("General Series", "C.7.3.1", "C.7-5a"),
    "ClinicalTrialSeries": ("Clinical Trial Series", "C.7.3.2", "C.7-5b"),
    "FrameOfReference": ("Frame of Reference", "C.7.4.1", "C.7-6"),
    "GeneralEquipment": ("General Equipment", "C.7.5.1", "C.7-8"),
    "EnhancedGeneralEquipment": ("Enhanced General Equipment", "C.7.5.2", "C.7-8b"),
    "GeneralImage": ("General Image", "C.7.6.1", "C.7-9"),
    "ImagePixel": ("Image Pixel", "C.7.6.3", "C.7-11a"),
    "AcquisitionContext": ("Acquisition Context", "C.7.6.14", None),
    "GeneralAcquisition": ("General Acquisition", "C.7.10.1", None),
    "VLImage": ("VL Image", "C.8.12.1", "C.8-77"),
    "VLPhotographicEquipment": ("VL Photographic Equipment", "C.8.12.10", None),
    "VLPhotographicAcquisition": ("VL Photographic Acquisition", "C.8.12.11", None),
    "ICCProfile": ("ICC Profile", "C.11.15", None),
    "SOPCommon": ("SOP Common", "C.12.1", "C.12-1"),
    "CommonInstanceReference": ("Common Instance Reference", "C.12.2", "C.12-8"),
    "GeneralReference": ("General Reference", "C.12.4", "C.12-10"),
    # macros
    "CodeSequenceMacro": ("Code Sequence", "8.8", "8.8-1"),
    "BasicCodeSequenceMacro": ("Basic Code Sequence", "8.8", "8.8-1a"),
    "EnhancedCodeSequenceMacro": ("Enhanced Code Sequence", "8.8", "8.8-1b"),
    "PersonIdentificationMacro": ("Person Identification", "10.1", "10-1"),
    "ContentItemMacro": ("Content Item", "10.2", "10-2"),
    "ContentItemWithModifiersMacro": ("Content Item with Modifiers", "10.2.1", None),
    "ImageSOPInstanceReferenceMacro": ("Image SOP Instance Reference", "10.3", "10-3"),
    "ReferencedInstancesAndAccessMacro": ("Referenced Instances and Access", "10.3.1", "10-3b"),
    "SeriesAndInstanceReferenceMacro": ("Series and Instance Reference", "10.4", "10-4"),
    "PrimaryAnatomicStructureMacro": ("Primary Anatomic Structure", "10.5", "10-8"),
    "RequestAttributesMacro": ("Request Attributes", "10.6", "10-9"),
    "SOPInstanceReferenceMacro": ("SOP Instance Reference", "10.8", "10-11"),
    "PerformedProcedureStepSummaryMacro": ("Performed Procedure Step Summary", "10.13", "10-16"),
    "HL7v2HierarchicDesignatorMacro": ("HL7v2 Hierarchic Designator", "10.14", "10-17"),
    "IssuerOfPatientIDMacro": ("Issuer of Patient ID", "10.15", "10-18"),
    "SelectorAttributeMacro": ("Selector Attribute", "10.17", "10-20"),
    "UDIMacro": ("UDI", "10.29", None),
    "GeneralProcedureProtocolReferenceMacro": ("General Procedure Protocol Reference", "10.41", None),
    "PatientGroupMacro": ("Patient Group", "C.7.1.4", None),
    "IconImageSequenceMacro": ("Icon Image Sequence", "C.7.6.1.1.6", None),
    "ImagePixelDescriptionMacro": ("Image Pixel Description", "C.7.6.3", "C.7-11c"),
    "RealWorldValueMappingItemMacro": ("Real World Value Mapping Item", "C.7.6.16.2.11.1", "C.7.6.16-12b"),
    "DigitalSignaturesMacro": ("Digital Signatures", "C.12.1.1.3", "C.12-6"),
}

#: Binary value sets of the templates, spelled out (value, meaning) from PS3.3.
BINARY_VALUES: dict[str, list[tuple[str, str | None]]] = {
    "BitsAre8": [("8", None)],
    "BitsAre7": [("7", None)],
    "BitsAre1Or8": [("1", None), ("8", None)],
    "BitsAre0Or7": [("0", None), ("7", None)],
    "PixelRepresentationUnsigned": [("0", "unsigned integer")],
    "PixelRepresentation": [("0", "unsigned integer"), ("1", "2's complement")],
    "SamplesPerPixelIsOne": [("1", None)],
    "SamplesPerPixelIsOneOrThree": [("1", None), ("3", None)],
    "PlanarConfiguration": [("0", "color-by-pixel"), ("1", "color-by-plane")],
    "PlanarConfigurationIsColorByPixel": [("0", "color-by-pixel")],
    "PregnancyStatus": [("1", "not pregnant"), ("2", "possibly pregnant"), ("3", "definitely pregnant"),
                        ("4", "unknown")],
    "One": [("1", None)],
}


def _present(k):
    return {"present": k}


def _absent(k):
    return {"absent": k}


def _equals(k, v, index=None):
    out = {"attribute": k, "equals": v}
    if index:
        out["value_index"] = index
    return out


#: Template condition -> a structured condition (the condition is a plain presence, absence or value test).
STRUCTURED: dict[str, dict] = {
    "CertifiedTimestampIsPresent": _present("CertifiedTimestamp"),
    "ClinicalTrialProtocolEthicsCommitteeApprovalNumberIsPresent":
        _present("ClinicalTrialProtocolEthicsCommitteeApprovalNumber"),
    "ClinicalTrialSubjectIDAbsent": _absent("ClinicalTrialSubjectID"),
    "ClinicalTrialSubjectReadingIDAbsent": _absent("ClinicalTrialSubjectReadingID"),
    "CodeValueAndLongCodeValueAbsent": {"all": [_absent("CodeValue"), _absent("LongCodeValue")]},
    "CodeValueAndURNCodeValueAbsent": {"all": [_absent("CodeValue"), _absent("URNCodeValue")]},
    "LongCodeValueAndURNCodeValueAbsent": {"all": [_absent("LongCodeValue"), _absent("URNCodeValue")]},
    "CodeValueOrLongCodeValuePresent": {"any": [_present("CodeValue"), _present("LongCodeValue")]},
    "ContactMethodIsContact": _equals("ContactMethod", "CONTACT"),
    "ContextIdentifierIsPresent": _present("ContextIdentifier"),
    "InstitutionCodeSequenceNotPresent": _absent("InstitutionCodeSequence"),
    "InstitutionNameNotPresent": _absent("InstitutionName"),
    "LocalNamespaceEntityIDNotPresent": _absent("LocalNamespaceEntityID"),
    "UniversalEntityIDNotPresent": _absent("UniversalEntityID"),
    "UniversalEntityIDPresent": _present("UniversalEntityID"),
    "LongitudinalTemporalOffsetFromEventIsPresent": _present("LongitudinalTemporalOffsetFromEvent"),
    "PixelDataProviderURLIsAbsent": _absent("PixelDataProviderURL"),
    "PixelPaddingRangeLimitIsPresent": _present("PixelPaddingRangeLimit"),
    "RationalNumeratorValueIsPresent": _present("RationalNumeratorValue"),
    "RealWorldValueInterceptNotPresent": _absent("RealWorldValueIntercept"),
    "SelectorSequencePointerIsPresent": _present("SelectorSequencePointer"),
    "TrackingIDIsPresent": _present("TrackingID"),
    "TrackingUIDIsPresent": _present("TrackingUID"),
    "WindowCenterPresent": _present("WindowCenter"),
    "PhotometricInterpretationIsMonochrome2": _equals("PhotometricInterpretation", "MONOCHROME2"),
    "BlockIdentifyingInformationStatusIsMIXED": _equals("BlockIdentifyingInformationStatus", "MIXED"),
    "ConsentForDistributionFlagIsYesOrWithdrawn": {"attribute": "ConsentForDistributionFlag",
                                                   "one_of": ["YES", "WITHDRAWN"]},
    "TypeOfInstancesIsDICOM": _equals("TypeOfInstances", "DICOM"),
    "ImageTypeValue3StereoLOrR": {"attribute": "ImageType", "one_of": ["STEREO L", "STEREO R"], "value_index": 3},
    "ValueTypeIsDateTime": _equals("ValueType", "DATETIME"),
    "ValueTypeIsDate": _equals("ValueType", "DATE"),
    "ValueTypeIsTime": _equals("ValueType", "TIME"),
    "ValueTypeIsPersonName": _equals("ValueType", "PNAME"),
    "ValueTypeIsUID": _equals("ValueType", "UIDREF"),
    "ValueTypeIsText": _equals("ValueType", "TEXT"),
    "ValueTypeIsCode": _equals("ValueType", "CODE"),
    "ValueTypeIsNumeric": _equals("ValueType", "NUMERIC"),
    "ValueTypeIsCompositeOrImageOrWaveform": {"attribute": "ValueType", "one_of": ["COMPOSITE", "IMAGE", "WAVEFORM"]},
    "PatientIdentityRemovedAndNotDeidentificationMethod": {
        "all": [_equals("PatientIdentityRemoved", "YES"), _absent("DeidentificationMethod")]},
    "PatientIdentityRemovedAndNotDeidentificationMethodCodeSequence": {
        "all": [_equals("PatientIdentityRemoved", "YES"), _absent("DeidentificationMethodCodeSequence")]},
    "SpatialLocationsPreservedReorientedOnly": _equals("SpatialLocationsPreserved", "REORIENTED_ONLY"),
}

#: Template condition -> the condition in our own words (the logic is not encoded).
NAMED: dict[str, str] = {
    "CodingSchemeVersionRequired": "Required if the Coding Scheme Designator alone does not identify the code "
                                   "value unambiguously.",
    "ExtendedCodingScheme": "Required if the Context Group has been extended locally.",
    "ImagePixelMacroNeedsPaletteDescriptor": "Required if Photometric Interpretation is PALETTE COLOR, or is "
                                             "RGB-like with a palette for a supplemental color display.",
    "ImagePixelMacroNeedsPaletteDescriptorAndNotSegmentedLegallyPresentInPaletteColorModule":
        "Required if a palette descriptor is required and segmented palette data are not used instead.",
    "IsAnimal": "Required if the patient is an animal rather than a human.",
    "IsAnimalAndPatientBreedCodeSequenceEmpty": "Required if the patient is an animal and the Patient Breed Code "
                                                "Sequence has no item.",
    "IsAnimalAndPatientSpeciesCodeSequenceAbsent": "Required if the patient is an animal and the Patient Species "
                                                   "Code Sequence is absent.",
    "IsAnimalAndPatientSpeciesDescriptionAbsent": "Required if the patient is an animal and the Patient Species "
                                                  "Description is absent.",
    "IsMultienergyCTAcquisition": "Required if the image comes from a multi-energy CT acquisition.",
    "LateralityRequired": "Required if the examined body part is paired and laterality is not sent at image, frame "
                          "or measurement level.",
    "MultiFrameIODAndNotSpecimen": "Required if the IOD is multi-frame and the subject is not a specimen.",
    "NeedAnatomicRegionSequenceInGeneralImageModule": "Required if the IOD does not convey the anatomic region "
                                                      "elsewhere and the image is not of a specimen.",
    "NeedDICOMMediaRetrievalSequence": "Required if the instances can be retrieved from DICOM media.",
    "NeedDICOMRetrievalSequence": "Required if the instances can be retrieved with DICOM network services.",
    "NeedDoubleFloatRealWorldValueFirstValueMapped": "Required if the mapped stored values are floating point.",
    "NeedDoubleFloatRealWorldValueLastValueMapped": "Required if the mapped stored values are floating point.",
    "NeedRealWorldValueFirstValueMapped": "Required if the mapped stored values are integers.",
    "NeedRealWorldValueLastValueMapped": "Required if the mapped stored values are integers.",
    "NeedRealWorldValueSlopeAndIntercept": "Required if the mapping is linear and no lookup table is sent.",
    "NeedWADORSRetrievalSequence": "Required if the instances can be retrieved with WADO-RS.",
    "NeedWADORetrievalSequence": "Required if the instances can be retrieved with WADO-URI.",
    "NeedXDSRetrievalSequence": "Required if the instances can be retrieved with IHE XDS.",
    "Never": "Not used at this level: the attribute shall not be present here.",
    "NotSecondaryCaptureSOPClass": "Required unless the SOP Class is a Secondary Capture class, where the Modality "
                                   "may be unknown.",
    "PatientAlternativeCalendarNeeded": "Required if any alternative-calendar date of birth or death is present.",
    "PatientOrientationRequired": "Required if the image has no Image Orientation (Patient) and Image Position "
                                  "(Patient) and is not a specimen image.",
    "PhotometricInterpretationNeedsPalette": "Required if Photometric Interpretation is PALETTE COLOR.",
    "PrivateDataElementValueRepresentationIsSequence": "Required if the private element's Value Representation is "
                                                       "SQ.",
    "ReferencedSeriesSequenceAbsentAndInstanceReferencesInstances":
        "Required if this instance references instances of other studies.",
    "ResponsiblePersonIsPresentWithValue": "Required if Responsible Person is present and has a value.",
    "SOPClassIsCTOrMR": "Required for CT and MR images whose Anatomical Orientation Type is absent or BIPED.",
    "SamplesPerPixelGreaterThanOne": "Required if Samples per Pixel is greater than 1.",
    "StudiesContainingOtherReferencedInstancesSequenceAbsentAndInstanceReferencesInstances":
        "Required if this instance references instances of the same study.",
    "TransferSyntaxIsReferencedPixelData": "Required if the Transfer Syntax references pixel data held elsewhere "
                                           "(JPIP).",
    "TypeOfInstancesInParentIsCDA": "Required if the Type of Instances of the enclosing item is CDA.",
}

#: (module id, keyword) -> sentence for 1C/2C attributes whose condition the templates leave unnamed.
UNNAMED: dict[tuple[str, str], str] = {
    ("ClinicalTrialStudy", "ClinicalTrialProtocolID"): "Required if the consent item concerns a specific clinical "
                                                       "trial protocol.",
    ("ContentItemMacro", "FloatingPointValue"): "Required if the numeric value cannot be encoded exactly as a "
                                                "decimal string.",
    ("ContentItemMacro", "RationalNumeratorValue"): "Required if the numeric value is a rational number.",
    ("ContentItemMacro", "ReferencedFrameNumber"): "Required if the reference is to specific frames of a "
                                                   "multi-frame image.",
    ("ContentItemMacro", "ReferencedSegmentNumber"): "Required if the reference is to specific segments of a "
                                                     "segmentation.",
    ("ContentItemMacro", "ReferencedWaveformChannels"): "Required if the Value Type is WAVEFORM and specific "
                                                        "channels are referenced.",
    ("GeneralImage", "ContentDate"): "Required if the images of the series are temporally related.",
    ("GeneralImage", "ContentTime"): "Required if the images of the series are temporally related.",
    ("GeneralProcedureProtocolReferenceMacro", "ReferencedDefinedProtocolSequence"):
        "Required if the instance was created under a defined protocol held as a SOP Instance.",
    ("GeneralProcedureProtocolReferenceMacro", "ReferencedPerformedProtocolSequence"):
        "Required if a performed protocol SOP Instance records the acquisition.",
    ("GeneralSeries", "AnatomicalOrientationType"): "Required if the subject is not a human (biped) and the "
                                                    "orientation is not BIPED.",
    ("ImagePixel", "PixelPaddingRangeLimit"): "Required if pixel padding is a range and Pixel Padding Value is "
                                              "present.",
    ("ImagePixel", "ExtendedOffsetTableLengths"): "Required if Extended Offset Table is present.",
    ("ImagePixelDescriptionMacro", "PixelAspectRatio"): "Required if the pixel aspect ratio is not 1:1 and no "
                                                        "physical pixel spacing is given.",
    ("ImageSOPInstanceReferenceMacro", "ReferencedFrameNumber"): "Required if the reference is to specific frames "
                                                                 "of a multi-frame image.",
    ("ImageSOPInstanceReferenceMacro", "ReferencedSegmentNumber"): "Required if the reference is to specific "
                                                                   "segments of a segmentation.",
    ("ReferencedInstancesAndAccessMacro", "ReferencedFrameNumber"): "Required if the reference is to specific "
                                                                    "frames.",
    ("ReferencedInstancesAndAccessMacro", "ReferencedSegmentNumber"): "Required if the reference is to specific "
                                                                      "segments.",
    ("RequestAttributesMacro", "RequestedProcedureID"): "Required if procedure scheduling information is "
                                                        "available.",
    ("RequestAttributesMacro", "ScheduledProcedureStepID"): "Required if procedure scheduling information is "
                                                            "available.",
    ("SOPCommon", "SpecificCharacterSet"): "Required if an extended or replacement character set is used.",
    ("SOPCommon", "CodingSchemeRegistry"): "Required if the coding scheme is registered with an external registry.",
    ("SOPCommon", "CodingSchemeUID"): "Required if the coding scheme has a UID assigned.",
    ("SOPCommon", "CodingSchemeExternalID"): "Required if the coding scheme is registered with an external "
                                             "registry.",
    ("SOPCommon", "EncryptedAttributesSequence"): "Required if the application encrypts attributes of the "
                                                  "instance.",
    ("SOPCommon", "HL7StructuredDocumentReferenceSequence"): "Required if HL7 structured documents are referenced "
                                                             "from the instance.",
    ("SOPCommon", "QueryRetrieveView"): "Required if the instance was converted on retrieval in a non-classic "
                                        "view.",
    ("SOPCommon", "ConversionSourceAttributesSequence"): "Required if the instance was converted from one or more "
                                                         "source instances.",
    ("SelectorAttributeMacro", "SelectorAttribute"): "Required if a particular attribute, rather than a sequence "
                                                     "item, is selected.",
    ("SelectorAttributeMacro", "SelectorValueNumber"): "Required if Selector Attribute is present.",
    ("SelectorAttributeMacro", "SelectorSequencePointer"): "Required if the selected attribute is nested in a "
                                                           "sequence.",
    ("SelectorAttributeMacro", "SelectorSequencePointerPrivateCreator"): "Required if a Selector Sequence Pointer "
                                                                         "value is a private attribute.",
    ("SelectorAttributeMacro", "SelectorAttributePrivateCreator"): "Required if Selector Attribute is a private "
                                                                   "attribute.",
    ("VLImage", "ContentTime"): "Required if the images of the series are temporally related.",
}

#: Conditions after which PS3.3 says "May be present otherwise".
MAY_BE_PRESENT = {
    "CodingSchemeVersionRequired", "IsAnimal", "IsAnimalAndPatientBreedCodeSequenceEmpty",
    "IsAnimalAndPatientSpeciesCodeSequenceAbsent", "IsAnimalAndPatientSpeciesDescriptionAbsent",
    "PatientIdentityRemovedAndNotDeidentificationMethod",
    "PatientIdentityRemovedAndNotDeidentificationMethodCodeSequence",
    "InstitutionCodeSequenceNotPresent", "InstitutionNameNotPresent", "LocalNamespaceEntityIDNotPresent",
    "UniversalEntityIDNotPresent", "PatientOrientationRequired", "PixelPaddingRangeLimitIsPresent",
    "SOPClassIsCTOrMR",
    "NeedAnatomicRegionSequenceInGeneralImageModule", "MultiFrameIODAndNotSpecimen",
    "ClinicalTrialSubjectIDAbsent", "ClinicalTrialSubjectReadingIDAbsent",
    "GeneralImage.ContentDate", "GeneralImage.ContentTime", "VLImage.ContentTime",
    "SOPCommon.SpecificCharacterSet",
}

#: Types the model has no value for, mapped to the nearest one (the condition goes into the notes).
TYPE_FIX = {"3C": "3"}


#: Rows where the templates deviate from the PS3.3 table (the templates fold other IODs' rules into the Type):
#: (module id, keyword) -> the Type PS3.3 gives; the condition is dropped.
TYPE_OVERRIDES = {
    ("GeneralSeries", "Modality"): "1",  # Table C.7-5a: Type 1 (the templates make it 1C for Secondary Capture)
}

#: Notes for Type 3C rows (optional, but allowed only under a condition), keyed by the template condition.
TYPE_3C_NOTES = {
    "PhotometricInterpretationIsMonochrome2": "Type 3C in PS3.3: may be present only if Photometric "
                                              "Interpretation is MONOCHROME2; it shall not be present otherwise.",
}
