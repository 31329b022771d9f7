"""Signed counter configurations: provision signs, the counter refuses a changed folder, roll-over."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from app.cli import main
from counter_app.config import ConfigError, load_settings
from counter_app.signing import DISTRICT_KEY_ENV, SignatureError, check_configuration
from decoding.keys import generate_keypair


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:
    code = main(list(argv))
    return code, json.loads(capsys.readouterr().out)


def district_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> tuple[Path, Path]:
    code, out = run(capsys, "keys", "generate", "--kind", "ed25519", "--out", str(tmp_path / "district"), "--name", name)
    assert code == 0 and out["kind"] == "ed25519" and len(out["key_id"]) == 16
    return Path(out["private_key"]), Path(out["public_key"])


def generated_csv(path: Path, n: int) -> Path:
    lines = ["counter,clerk,scanners,seal_scanner,document_camera,document_folder,database"]
    for i in range(1, n + 1):
        port = f"serial:COM{3 + i % 5}" if i % 3 else "hid:0c2e:0b61"
        lines.append(f"민원{i},clerk{i},{port} keyboard,camera:1,,C:/scans/{i},")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def provision(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], n: int, out: str, *sign: str
) -> list[Path]:
    office, _, _ = (
        generate_keypair(tmp_path / "k", name="office")
        if not (tmp_path / "k" / "office.pem").exists()
        else (tmp_path / "k" / "office.pem", None, None)
    )
    csv = generated_csv(tmp_path / f"{out}.csv", n)
    code, result = run(
        capsys, "provision", "--office", "3210000", "--counters", str(csv), "--key", str(office),
        "--out", str(tmp_path / out), *sign,
    )
    assert code == 0, result
    return [Path(p) for p in result["counters"]]


def test_189_counters_provisioned_signed_and_accepted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    priv, pub = district_key(tmp_path, capsys, "district-2026")
    configs = provision(tmp_path, capsys, 189, "out", "--sign-key", str(priv))
    assert len(configs) == 189 and len({c.parent for c in configs}) == 189
    monkeypatch.setenv(DISTRICT_KEY_ENV, str(pub))
    hashes = set()
    for config in configs:
        verified = check_configuration(config)
        assert verified is not None and not verified.via_endorsement
        assert {"counter.toml", "keys/office.pem"} <= set(verified.files)
        hashes.add(verified.config_hash)
    assert len(hashes) == 189  # every counter's configuration is told apart
    assert load_settings(configs[188]).counter == "민원189"


@pytest.mark.parametrize("changed", ["counter.toml", "keys/office.pem"])
def test_a_changed_file_is_refused_and_named(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    changed: str,
) -> None:
    priv, pub = district_key(tmp_path, capsys, "district")
    config = provision(tmp_path, capsys, 2, "out", "--sign-key", str(priv))[0]
    monkeypatch.setenv(DISTRICT_KEY_ENV, str(pub))
    target = config.parent / changed
    target.write_bytes(target.read_bytes().replace(b"keyboard", b"serial:COM9") + b"\n")
    with pytest.raises(ConfigError) as info:
        load_settings(config)
    assert f"'{changed}'" in str(info.value) and "변경되어" in str(info.value)
    # The counter window refuses to start, with the same message, and no traceback.
    assert main(["run", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert changed in err and "Traceback" not in err


def test_unsigned_deleted_or_foreign_signed_folders_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    priv, pub = district_key(tmp_path, capsys, "district")
    other, _ = district_key(tmp_path, capsys, "someone-else")
    unsigned = provision(tmp_path, capsys, 1, "plain")[0]
    foreign = provision(tmp_path, capsys, 1, "foreign", "--sign-key", str(other))[0]
    signed = provision(tmp_path, capsys, 1, "signed", "--sign-key", str(priv))[0]
    monkeypatch.setenv(DISTRICT_KEY_ENV, str(pub))
    with pytest.raises(SignatureError, match="서명"):
        load_settings(unsigned)
    with pytest.raises(SignatureError, match="신뢰하지 않는 키"):
        load_settings(foreign)
    # A forged manifest (the clerk re-hashes the edited file) does not verify.
    manifest = json.loads((signed.parent / "manifest.json").read_text())
    payload = json.loads(manifest["payload"])
    signed.write_text(signed.read_text() + 'clerk = "mallory"\n')
    from counter_app.signing import file_hash

    payload["files"]["counter.toml"] = file_hash(signed)
    manifest["payload"] = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    (signed.parent / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(SignatureError, match="서명이 맞지 않습니다"):
        load_settings(signed)
    (signed.parent / "keys" / "office.pem").unlink()
    with pytest.raises(SignatureError):
        load_settings(signed)
    # With no district key installed (a developer's machine), nothing is checked.
    monkeypatch.delenv(DISTRICT_KEY_ENV)
    assert load_settings(unsigned).counter == "민원1"


def test_key_roll_over_needs_one_visit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    old, old_pub = district_key(tmp_path, capsys, "district-2026")
    new, new_pub = district_key(tmp_path, capsys, "district-2027")
    rogue, _ = district_key(tmp_path, capsys, "rogue")
    # The PCs still trust only the old key (installed with the program).
    monkeypatch.setenv(DISTRICT_KEY_ENV, str(old_pub))
    rolled = provision(tmp_path, capsys, 3, "rolled", "--sign-key", str(new), "--previous-key", str(old))
    verified = check_configuration(rolled[0])
    assert verified is not None and verified.via_endorsement
    # Signed with the new key alone (no endorsement): not trusted yet by old PCs.
    bare = provision(tmp_path, capsys, 1, "bare", "--sign-key", str(new))[0]
    with pytest.raises(SignatureError, match="신뢰하지 않는 키"):
        check_configuration(bare)
    # A key endorsed by an untrusted key is not trusted either.
    forged = provision(tmp_path, capsys, 1, "forged", "--sign-key", str(new), "--previous-key", str(rogue))[0]
    with pytest.raises(SignatureError, match="신뢰하지 않는 키"):
        check_configuration(forged)
    # After the next program release installs the new key, the old one can go.
    monkeypatch.setenv(DISTRICT_KEY_ENV, str(new_pub))
    assert check_configuration(bare) is not None
    both = os.pathsep.join([str(old_pub), str(new_pub)])
    monkeypatch.setenv(DISTRICT_KEY_ENV, both)
    assert check_configuration(rolled[1]) is not None


def test_provision_refuses_a_p256_key_as_district_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    office, _, _ = generate_keypair(tmp_path / "k", name="office")
    csv = generated_csv(tmp_path / "c.csv", 1)
    code, out = run(
        capsys, "provision", "--office", "3210000", "--counters", str(csv), "--key", str(office),
        "--out", str(tmp_path / "out"), "--sign-key", str(office),
    )
    assert code == 2 and "Ed25519" in out["message"]
    assert not (tmp_path / "out").exists()


def test_installed_keys_win_over_the_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A clerk who names their own key in the environment does not get their own config trusted."""
    from counter_app import signing

    district, district_pub = district_key(tmp_path, capsys, "district")
    mine, mine_pub = district_key(tmp_path, capsys, "mallory")
    forged = provision(tmp_path, capsys, 1, "forged", "--sign-key", str(mine))[0]
    installed = tmp_path / "program" / "district-keys"
    installed.mkdir(parents=True)
    (installed / "district.pub.pem").write_bytes(district_pub.read_bytes())
    monkeypatch.setattr(signing, "installed_key_dirs", lambda: [installed])
    monkeypatch.setenv(DISTRICT_KEY_ENV, str(mine_pub))
    with pytest.raises(SignatureError, match="신뢰하지 않는 키"):
        load_settings(forged)
    genuine = provision(tmp_path, capsys, 1, "genuine", "--sign-key", str(district))[0]
    assert load_settings(genuine).counter == "민원1"


def test_the_configuration_is_read_once_verified_and_parsed_from_the_same_bytes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file swapped in right after the signature check is not what gets loaded."""
    import counter_app.signing as signing

    priv, pub = district_key(tmp_path, capsys, "district-2026")
    config = provision(tmp_path, capsys, 1, "out", "--sign-key", str(priv))[0]
    monkeypatch.setenv(DISTRICT_KEY_ENV, str(pub))
    signed = config.read_text(encoding="utf-8")
    real = signing.check_configuration

    def check_then_swap(path: Path, data: bytes | None = None) -> object:
        verified = real(path, data)
        path.write_text(signed.replace("민원1", "가짜창구"), encoding="utf-8")  # the swap
        return verified

    monkeypatch.setattr(signing, "check_configuration", check_then_swap)
    assert load_settings(config).counter == "민원1"
    monkeypatch.setattr(signing, "check_configuration", real)
    with pytest.raises(SignatureError, match=r"counter\.toml"):  # and at the next start it is refused
        load_settings(config)


def test_a_trusted_district_key_without_a_configuration_refuses_to_start(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _priv, pub = district_key(tmp_path, capsys, "district-2026")
    monkeypatch.delenv("COUNTER_APP_CONFIG", raising=False)
    assert load_settings().office == "0000000"  # no key trusted: the developer's defaults
    monkeypatch.setenv(DISTRICT_KEY_ENV, str(pub))
    with pytest.raises(ConfigError, match="서명된 설정 파일이 없습니다"):
        load_settings()
