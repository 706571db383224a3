"""Who a deployment serves: its agencies (one content pack each) and the channel instances that reach them.

One deployment serves a whole regency. An agency is a pack folder; a channel instance is a WhatsApp or SMS
number (Twilio's ``To``) or a Telegram bot, serving one agency or several (a front desk). Inbound traffic is
routed by the instance it arrived on, never guessed, so one agency's messages cannot land in another's.
"""
from bot.tenancy.agencies import agency_ids, default_agency, load_agencies
from bot.tenancy.channels import (
    PROVIDERS,
    ChannelInstance,
    ChannelRegistry,
    ChannelsError,
    chat_key,
    check_channels_file,
    load_channels,
)

__all__ = [
    "PROVIDERS", "ChannelInstance", "ChannelRegistry", "ChannelsError", "chat_key",
    "agency_ids", "default_agency", "check_channels_file", "load_agencies", "load_channels",
]
