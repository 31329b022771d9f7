"""Device I/O: QR scanners (serial, HID POS, camera, keyboard wedge), the seal
scanner and document intake. Each device runs on its own named thread and
reports through plain callbacks; no Qt."""
