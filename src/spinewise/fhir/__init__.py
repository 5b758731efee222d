"""FHIR R4 (R4B models of ``fhir.resources``): mapping, REST API at ``/fhir``, import and bulk export."""
