"""What WhatsApp and SMS through Twilio share: the form, the signature, media downloads, the sender base."""
