"""`lesionlab info` through Typer's test runner."""

from __future__ import annotations

from typer.testing import CliRunner

from engine.cli import app

from .conftest import jpeg_bytes

runner = CliRunner()


def test_info_on_real_ham10000_images(ham_by_class):
    target = next(ham_by_class.rglob("ISIC_0027175.jpg"))
    data = jpeg_bytes(80, 60)
    target.write_bytes(data[: len(data) // 2])
    result = runner.invoke(app, ["info", str(ham_by_class), "--format", "ham10000"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "images: 14" in lines
    assert any(line.split() == ["mel", "2"] for line in lines)
    assert any(line.split() == ["abdomen", "3"] for line in lines)
    assert any(line.split() == ["male", "8"] for line in lines)
    assert any(line.split()[:2] == ["40-49", "3"] and "#" in line for line in lines)
    assert "  width    min 150  median 150  max 150" in lines
    assert "image size (pixels, from 14 decoded images):" in lines
    assert "  skipped (bad input): 1" in lines
    assert any("ISIC_0027175.jpg is truncated" in line for line in lines)


def test_info_on_isic2024_with_missing_values(isic2024_dir):
    result = runner.invoke(app, ["info", str(isic2024_dir), "--format", "isic2024",
                                 "--sample", "3"])
    assert result.exit_code == 0, result.output
    assert "images: 6" in result.output
    assert "image size (pixels, from 3 decoded images):" in result.output
    assert any(line.split() == ["(none)", "3"] for line in result.output.splitlines())
    assert any(line.split() == ["unknown", "1"] for line in result.output.splitlines())


def test_info_reports_a_bad_table_as_one_line(ham_official):
    (ham_official / "HAM10000_metadata.csv").write_text("image,dx\nISIC_1,nv\n")
    result = runner.invoke(app, ["info", str(ham_official), "--format", "ham10000"])
    assert result.exit_code == 2
    assert "error:" in result.output and "missing column(s) 'lesion_id'" in result.output
    assert "Traceback" not in result.output
