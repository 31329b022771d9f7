# Run on the linked MSI (one statement a line): Korean names, the condition and the ACL
# that wixl cannot write. The database's codepage must be 949 first (_ForceCodepage).
UPDATE `Shortcut` SET `Name` = 'MWCOUNT|민원 창구', `Description` = '민원 창구: QR 접수 / the counter window' WHERE `Shortcut` = 'S.Counter'
UPDATE `Shortcut` SET `Name` = 'MWREVIEW|민원 검토', `Description` = '민원 검토: 감독자 검토 / the review window' WHERE `Shortcut` = 'S.Review'
UPDATE `Property` SET `Value` = '민원 창구 counter-app' WHERE `Property` = 'ProductName'
UPDATE `Component` SET `Condition` = 'KEYS' WHERE `Component` = 'C.ConfigEnv'
# The releases folder: administrators and SYSTEM write (GENERIC_ALL), users read and run
# (GENERIC_READ | GENERIC_EXECUTE as a signed 32-bit number); replaces the inherited ACL.
CREATE TABLE `LockPermissions` (`LockObject` CHAR(72) NOT NULL, `Table` CHAR(32) NOT NULL, `Domain` CHAR(255), `User` CHAR(255) NOT NULL, `Permission` LONG PRIMARY KEY `LockObject`, `Table`, `Domain`, `User`)
INSERT INTO `LockPermissions` (`LockObject`, `Table`, `User`, `Permission`) VALUES ('RELEASESDIR', 'CreateFolder', 'Administrators', 268435456)
INSERT INTO `LockPermissions` (`LockObject`, `Table`, `User`, `Permission`) VALUES ('RELEASESDIR', 'CreateFolder', 'SYSTEM', 268435456)
INSERT INTO `LockPermissions` (`LockObject`, `Table`, `User`, `Permission`) VALUES ('RELEASESDIR', 'CreateFolder', 'Users', -1610612736)
