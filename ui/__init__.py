"""The Qt (PySide6) user interface: the clerk's counter window and the thin Qt
adapters around the devices. Nothing below this package imports it."""
