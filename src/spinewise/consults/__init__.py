"""Virtual consultations: appointments, video rooms (WebRTC signalling), messaging, notes."""
