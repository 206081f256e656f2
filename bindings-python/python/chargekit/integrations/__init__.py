"""Adapters that connect chargekit to other libraries (``chargekit.integrations.ocpp``)."""
