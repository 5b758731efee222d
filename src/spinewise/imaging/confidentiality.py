"""The DICOM Basic Application Level Confidentiality Profile as data.

Transcribed from DICOM PS3.15 (Security and System Management Profiles), Annex E,
Table E.1-1 "Application Level Confidentiality Profile Attributes", column *Basic Profile*.
Each row names a standard attribute by its DICOM keyword (pydicom resolves the tag) and the
action the profile requires when the attribute is present:

- ``X``  remove the attribute;
- ``Z``  replace with a zero-length value (or a dummy of the same VR);
- ``D``  replace with a non-zero-length dummy value of the same VR;
- ``U``  replace the UID with a non-identifying UID, consistently within the set of instances;
- compound actions (``X/Z``, ``X/D``, ``Z/D``, ``X/Z/D``, ``X/Z/U*``) leave the choice to the
  attribute's type in the IOD (1, 2 or 3). ``U*`` means: keep the sequence but replace the
  UIDs inside its items.

Spinewise does not look up the IOD type of every attribute, so it resolves a compound action
to the option that keeps the element present with the least information (see
:func:`resolve_action`): an empty value where the profile allows it, a dummy otherwise. That
never breaks the conformance of a Type 1 or Type 2 attribute more than the source did, and an
empty or dummy value carries no identifying information.

The table is an abridged transcription (the attributes that occur in radiography, CT, MR, SR,
RT and presentation objects); three rules in :mod:`spinewise.imaging.deidentify` close the
gaps and are stricter than the profile: every private attribute is removed, every remaining
person name (PN) and date (DA, DT) is emptied, and every remaining instance UID outside the
DICOM root ``1.2.840.10008`` is replaced. Check the table against the current edition of
PS3.15 before relying on it for a data release.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Action(StrEnum):
    """An Annex E action code."""

    REMOVE = "X"
    ZERO = "Z"
    DUMMY = "D"
    UID = "U"
    REMOVE_OR_ZERO = "X/Z"
    REMOVE_OR_DUMMY = "X/D"
    ZERO_OR_DUMMY = "Z/D"
    REMOVE_OR_ZERO_OR_DUMMY = "X/Z/D"
    REMOVE_OR_ZERO_OR_UIDS = "X/Z/U*"


class Resolved(StrEnum):
    """What Spinewise actually does to an element."""

    REMOVE = "remove"
    EMPTY = "empty"
    DUMMY = "dummy"
    REPLACE_UID = "replace_uid"
    CLEAN_ITEMS = "clean_items"  # keep a sequence, de-identify its items (U*)


@dataclass(frozen=True)
class ProfileEntry:
    keyword: str
    action: Action


def resolve_action(action: Action) -> Resolved:
    """Map an Annex E action to what Spinewise does.

    Compound actions keep the element with the least information: ``X/Z`` and ``Z/D`` and
    ``X/Z/D`` empty it, ``X/D`` puts a dummy, ``X/Z/U*`` keeps the sequence and replaces the
    UIDs (and any other listed attribute) inside its items.
    """
    return {
        Action.REMOVE: Resolved.REMOVE,
        Action.ZERO: Resolved.EMPTY,
        Action.DUMMY: Resolved.DUMMY,
        Action.UID: Resolved.REPLACE_UID,
        Action.REMOVE_OR_ZERO: Resolved.EMPTY,
        Action.REMOVE_OR_DUMMY: Resolved.DUMMY,
        Action.ZERO_OR_DUMMY: Resolved.EMPTY,
        Action.REMOVE_OR_ZERO_OR_DUMMY: Resolved.EMPTY,
        Action.REMOVE_OR_ZERO_OR_UIDS: Resolved.CLEAN_ITEMS,
    }[action]


_X = Action.REMOVE
_Z = Action.ZERO
_D = Action.DUMMY
_U = Action.UID
_XZ = Action.REMOVE_OR_ZERO
_XD = Action.REMOVE_OR_DUMMY
_ZD = Action.ZERO_OR_DUMMY
_XZD = Action.REMOVE_OR_ZERO_OR_DUMMY
_XZU = Action.REMOVE_OR_ZERO_OR_UIDS

# (keyword, Basic Profile action), alphabetical by keyword for review against Table E.1-1.
_TABLE: tuple[tuple[str, Action], ...] = (
    ("AccessionNumber", _Z),
    ("AcquisitionComments", _X),
    ("AcquisitionContextSequence", _X),
    ("AcquisitionDate", _XZ),
    ("AcquisitionDateTime", _XZD),
    ("AcquisitionDeviceProcessingDescription", _XD),
    ("AcquisitionProtocolDescription", _X),
    ("AcquisitionTime", _XZ),
    ("ActualHumanPerformersSequence", _X),
    ("AdditionalPatientHistory", _X),
    ("AdmissionID", _X),
    ("AdmittingDate", _X),
    ("AdmittingDiagnosesCodeSequence", _X),
    ("AdmittingDiagnosesDescription", _X),
    ("AdmittingTime", _X),
    ("Allergies", _X),
    ("Arbitrary", _X),
    ("AuthorObserverSequence", _X),
    ("BranchOfService", _X),
    ("CassetteID", _X),
    ("CommentsOnThePerformedProcedureStep", _X),
    ("ConcatenationUID", _U),
    ("ConfidentialityConstraintOnPatientDataDescription", _X),
    ("ContentCreatorIdentificationCodeSequence", _X),
    ("ContentCreatorName", _Z),
    ("ContentDate", _ZD),
    ("ContentSequence", _X),
    ("ContentTime", _ZD),
    ("ContrastBolusAgent", _ZD),
    ("ContributionDescription", _X),
    ("CountryOfResidence", _X),
    ("CreatorVersionUID", _U),
    ("CurrentObserverTrial", _X),
    ("CurrentPatientLocation", _X),
    ("CurveDate", _X),
    ("CurveTime", _X),
    ("CustodialOrganizationSequence", _X),
    ("Date", _XD),
    ("DateOfLastCalibration", _X),
    ("DateOfSecondaryCapture", _X),
    ("DateTime", _XD),
    ("DateTimeOfLastCalibration", _X),
    ("DetectorID", _X),
    ("DeviceSerialNumber", _XZD),
    ("DeviceUID", _U),
    ("DigitalSignatureUID", _X),
    ("DigitalSignaturesSequence", _X),
    ("DimensionOrganizationUID", _U),
    ("DischargeDiagnosisDescription", _X),
    ("DistributionAddress", _X),
    ("DistributionName", _X),
    ("DoseReferenceDescription", _X),
    ("DoseReferenceUID", _U),
    ("EndAcquisitionDateTime", _XD),
    ("EthnicGroup", _X),
    ("EthnicGroupCodeSequence", _X),
    ("FailedSOPInstanceUIDList", _U),
    ("FiducialUID", _U),
    ("FillerOrderNumberImagingServiceRequest", _Z),
    ("FixationDeviceDescription", _X),
    ("FractionGroupDescription", _X),
    ("FrameAcquisitionDateTime", _XD),
    ("FrameComments", _X),
    ("FrameOfReferenceUID", _U),
    ("FrameReferenceDateTime", _XD),
    ("GantryID", _X),
    ("GeneratorID", _X),
    ("GraphicAnnotationSequence", _D),
    ("HardcopyCreationDeviceID", _X),
    ("HumanPerformerName", _X),
    ("HumanPerformerOrganization", _X),
    ("IconImageSequence", _X),
    ("IdentifyingComments", _X),
    ("ImageComments", _X),
    ("ImagePresentationComments", _X),
    ("ImagingServiceRequestComments", _X),
    ("Impressions", _X),
    ("InstanceCoercionDateTime", _X),
    ("InstanceCreationDate", _XD),
    ("InstanceCreationTime", _XZD),
    ("InstanceCreatorUID", _U),
    ("InstitutionAddress", _X),
    ("InstitutionCodeSequence", _XZD),
    ("InstitutionName", _XZD),
    ("InstitutionalDepartmentName", _X),
    ("InsurancePlanIdentification", _X),
    ("IntendedRecipientsOfResultsIdentificationSequence", _X),
    ("InterpretationApproverSequence", _X),
    ("InterpretationAuthor", _X),
    ("InterpretationDiagnosisDescription", _X),
    ("InterpretationIDIssuer", _X),
    ("InterpretationRecorder", _X),
    ("InterpretationText", _X),
    ("InterpretationTranscriber", _X),
    ("IrradiationEventUID", _U),
    ("IssueDateOfImagingServiceRequest", _X),
    ("IssueTimeOfImagingServiceRequest", _X),
    ("IssuerOfAdmissionID", _X),
    ("IssuerOfPatientID", _X),
    ("IssuerOfServiceEpisodeID", _X),
    ("LargePaletteColorLookupTableUID", _U),
    ("LastMenstrualDate", _X),
    ("MediaStorageSOPInstanceUID", _U),
    ("MedicalAlerts", _X),
    ("MedicalRecordLocator", _X),
    ("MilitaryRank", _X),
    ("NameOfPhysiciansReadingStudy", _X),
    ("NamesOfIntendedRecipientsOfResults", _X),
    ("ObservationDateTime", _XD),
    ("ObservationDateTrial", _X),
    ("ObservationTimeTrial", _X),
    ("ObservationUID", _U),
    ("Occupation", _X),
    ("OperatorIdentificationSequence", _X),
    ("OperatorsName", _XZD),
    ("OrderCallbackPhoneNumber", _X),
    ("OrderEnteredBy", _X),
    ("OrderEntererLocation", _X),
    ("OtherPatientIDs", _X),
    ("OtherPatientIDsSequence", _X),
    ("OtherPatientNames", _X),
    ("OverlayDate", _X),
    ("OverlayTime", _X),
    ("ParticipantSequence", _X),
    ("ParticipationDateTime", _XD),
    ("PatientAddress", _X),
    ("PatientAge", _X),
    ("PatientAlternativeCalendar", _X),
    ("PatientBirthDate", _Z),
    ("PatientBirthDateInAlternativeCalendar", _X),
    ("PatientBirthName", _X),
    ("PatientBirthTime", _X),
    ("PatientBodyMassIndex", _X),
    ("PatientBreedCodeSequence", _X),
    ("PatientBreedDescription", _X),
    ("PatientComments", _X),
    ("PatientDeathDateInAlternativeCalendar", _X),
    ("PatientID", _Z),
    ("PatientInstitutionResidence", _X),
    ("PatientInsurancePlanCodeSequence", _X),
    ("PatientMotherBirthName", _X),
    ("PatientName", _Z),
    ("PatientPrimaryLanguageCodeSequence", _X),
    ("PatientPrimaryLanguageModifierCodeSequence", _X),
    ("PatientReligiousPreference", _X),
    ("PatientSex", _Z),
    ("PatientSexNeutered", _XZ),
    ("PatientSize", _X),
    ("PatientSizeCodeSequence", _X),
    ("PatientState", _X),
    ("PatientTelecomInformation", _X),
    ("PatientTelephoneNumbers", _X),
    ("PatientTransportArrangements", _X),
    ("PatientWeight", _X),
    ("PerformedLocation", _X),
    ("PerformedProcedureStepDescription", _X),
    ("PerformedProcedureStepEndDate", _X),
    ("PerformedProcedureStepEndTime", _X),
    ("PerformedProcedureStepID", _X),
    ("PerformedProcedureStepStartDate", _X),
    ("PerformedProcedureStepStartTime", _X),
    ("PerformedStationAETitle", _X),
    ("PerformedStationGeographicLocationCodeSequence", _X),
    ("PerformedStationName", _X),
    ("PerformedStationNameCodeSequence", _X),
    ("PerformingPhysicianIdentificationSequence", _X),
    ("PerformingPhysicianName", _X),
    ("PersonAddress", _X),
    ("PersonIdentificationCodeSequence", _D),
    ("PersonName", _D),
    ("PersonTelephoneNumbers", _X),
    ("PhysicianApprovingInterpretation", _X),
    ("PhysiciansOfRecord", _X),
    ("PhysiciansOfRecordIdentificationSequence", _X),
    ("PhysiciansReadingStudyIdentificationSequence", _X),
    ("PlacerOrderNumberImagingServiceRequest", _Z),
    ("PlateID", _X),
    ("PreMedication", _X),
    ("PregnancyStatus", _X),
    ("PrescriptionDescription", _X),
    ("PresentationCreationDate", _XD),
    ("PresentationCreationTime", _XD),
    ("ProtocolName", _XD),
    ("ROIDescription", _X),
    ("ROIGenerationDescription", _X),
    ("ROIObservationDescription", _X),
    ("RTPlanDescription", _X),
    ("RTPlanLabel", _D),
    ("RTPlanName", _X),
    ("ReasonForStudy", _X),
    ("ReasonForTheImagingServiceRequest", _X),
    ("ReferencedDateTime", _XD),
    ("ReferencedDigitalSignatureSequence", _X),
    ("ReferencedFrameOfReferenceUID", _U),
    ("ReferencedGeneralPurposeScheduledProcedureStepTransactionUID", _U),
    ("ReferencedImageSequence", _XZU),
    ("ReferencedPatientPhotoSequence", _X),
    ("ReferencedPatientSequence", _X),
    ("ReferencedPerformedProcedureStepSequence", _XZD),
    ("ReferencedSOPInstanceMACSequence", _X),
    ("ReferencedSOPInstanceUID", _U),
    ("ReferencedSOPInstanceUIDInFile", _U),
    ("ReferencedStudySequence", _XZ),
    ("ReferringPhysicianAddress", _X),
    ("ReferringPhysicianIdentificationSequence", _X),
    ("ReferringPhysicianName", _Z),
    ("ReferringPhysicianTelephoneNumbers", _X),
    ("RegionOfResidence", _X),
    ("RelatedFrameOfReferenceUID", _U),
    ("RequestAttributesSequence", _X),
    ("RequestedContrastAgent", _X),
    ("RequestedProcedureComments", _X),
    ("RequestedProcedureDescription", _XZ),
    ("RequestedProcedureID", _X),
    ("RequestedProcedureLocation", _X),
    ("RequestingPhysician", _X),
    ("RequestingService", _X),
    ("ResponsibleOrganization", _X),
    ("ResponsiblePerson", _X),
    ("ResponsiblePersonRole", _X),
    ("ResultsComments", _X),
    ("ResultsDistributionListSequence", _X),
    ("ResultsIDIssuer", _X),
    ("ReviewDate", _X),
    ("ReviewTime", _X),
    ("ReviewerName", _XZ),
    ("ScheduledHumanPerformersSequence", _X),
    ("ScheduledPatientInstitutionResidence", _X),
    ("ScheduledPerformingPhysicianIdentificationSequence", _X),
    ("ScheduledPerformingPhysicianName", _X),
    ("ScheduledProcedureStepDescription", _X),
    ("ScheduledProcedureStepEndDate", _X),
    ("ScheduledProcedureStepEndTime", _X),
    ("ScheduledProcedureStepLocation", _X),
    ("ScheduledProcedureStepStartDate", _X),
    ("ScheduledProcedureStepStartTime", _X),
    ("ScheduledStationAETitle", _X),
    ("ScheduledStationGeographicLocationCodeSequence", _X),
    ("ScheduledStationName", _X),
    ("ScheduledStationNameCodeSequence", _X),
    ("ScheduledStudyLocation", _X),
    ("ScheduledStudyLocationAETitle", _X),
    ("ScheduledStudyStartDate", _X),
    ("ScheduledStudyStartTime", _X),
    ("ScheduledStudyStopDate", _X),
    ("ScheduledStudyStopTime", _X),
    ("SecondaryCaptureDeviceID", _X),
    ("SeriesDate", _XD),
    ("SeriesDescription", _X),
    ("SeriesInstanceUID", _U),
    ("SeriesTime", _XD),
    ("ServiceEpisodeDescription", _X),
    ("ServiceEpisodeID", _X),
    ("SetupTechniqueDescription", _X),
    ("SlideIdentifier", _X),
    ("SmokingStatus", _X),
    ("SOPInstanceUID", _U),
    ("SourceImageSequence", _XZU),
    ("SpecialNeeds", _X),
    ("SpecimenDetailedDescription", _X),
    ("SpecimenShortDescription", _X),
    ("StartAcquisitionDateTime", _XD),
    ("StationName", _XZD),
    ("StorageMediaFileSetUID", _U),
    ("StructureSetDescription", _X),
    ("StructureSetLabel", _D),
    ("StructureSetName", _XZ),
    ("StudyArrivalDate", _X),
    ("StudyArrivalTime", _X),
    ("StudyComments", _X),
    ("StudyCompletionDate", _X),
    ("StudyCompletionTime", _X),
    ("StudyDate", _Z),
    ("StudyDescription", _X),
    ("StudyID", _Z),
    ("StudyIDIssuer", _X),
    ("StudyInstanceUID", _U),
    ("StudyReadDate", _X),
    ("StudyReadTime", _X),
    ("StudyTime", _Z),
    ("StudyVerifiedDate", _X),
    ("StudyVerifiedTime", _X),
    ("SynchronizationFrameOfReferenceUID", _U),
    ("TemplateExtensionCreatorUID", _U),
    ("TemplateExtensionOrganizationUID", _U),
    ("TextComments", _X),
    ("TextString", _X),
    ("Time", _XD),
    ("TimeOfLastCalibration", _X),
    ("TimeOfSecondaryCapture", _X),
    ("TimezoneOffsetFromUTC", _X),
    ("TopicAuthor", _X),
    ("TopicKeywords", _X),
    ("TopicSubject", _X),
    ("TopicTitle", _X),
    ("TransactionUID", _U),
    ("UID", _U),
    ("VerificationDateTime", _XD),
    ("VerifyingObserverIdentificationCodeSequence", _Z),
    ("VerifyingObserverName", _D),
    ("VerifyingObserverSequence", _D),
    ("VerifyingOrganization", _X),
    ("VisitComments", _X),
)

BASIC_PROFILE: tuple[ProfileEntry, ...] = tuple(ProfileEntry(k, a) for k, a in _TABLE)
"""Table E.1-1, Basic Profile column (abridged; see the module docstring)."""

# Repeating groups the profile removes: curve data (50xx,xxxx) and overlay data and comments
# (60xx,3000) and (60xx,4000). Keyed by (group mask, element) with element None = any element.
REPEATING_GROUPS_REMOVED: tuple[tuple[int, int | None, str], ...] = (
    (0x5000, None, "Curve Data (50xx,xxxx)"),
    (0x6000, 0x3000, "Overlay Data (60xx,3000)"),
    (0x6000, 0x4000, "Overlay Comments (60xx,4000)"),
)

# Code for "Basic Application Confidentiality Profile" in the DICOM content mapping resource
# (PS3.16, CID 7050 "De-identification Method").
BASIC_PROFILE_CODE = ("113100", "DCM", "Basic Application Confidentiality Profile")
