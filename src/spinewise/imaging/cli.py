"""``spinewise imaging …``: de-identify DICOM files, measure landmarks, draw a phantom."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from spinewise.core.console import cli_errors, load_json_file, print_json, write_atomic
from spinewise.core.errors import InvalidInput
from spinewise.imaging.classifier_inputs import spine_classifier_inputs
from spinewise.imaging.deidentify import UidMapper, dataset_to_bytes, deidentify, read_dicom
from spinewise.imaging.measure import LateralMeasurements, measure
from spinewise.imaging.phantom import PhantomSpec, build_phantom

app = typer.Typer(
    help="Spine imaging: DICOM de-identification and spinopelvic measurements.",
    no_args_is_help=True,
)


@app.command("deidentify")
@cli_errors
def deidentify_command(
    source: Path = typer.Argument(..., metavar="IN.dcm", help="DICOM file to de-identify."),
    target: Path = typer.Argument(..., metavar="OUT.dcm", help="Where to write the result."),
    confirm_burned_in: bool = typer.Option(
        False,
        "--confirm-burned-in",
        help="The image is flagged with burned-in annotation and you have checked its pixels.",
    ),
    uid_secret: str | None = typer.Option(
        None,
        "--uid-secret",
        envvar="SPINEWISE_DEID_SECRET",
        help="Secret for the UID mapping; give the same one for every file of a study "
        "(default: a random secret, so UIDs are not linkable across runs).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """De-identify IN.dcm (DICOM PS3.15 Annex E basic profile) into OUT.dcm."""
    dataset = read_dicom(source)
    uids = UidMapper.from_text(uid_secret) if uid_secret else UidMapper.random()
    cleaned, report = deidentify(dataset, uids=uids, confirm_burned_in=confirm_burned_in)
    write_atomic(target, dataset_to_bytes(cleaned))
    result = {
        "input": str(source),
        "output": str(target),
        "uid_mapping": "keyed" if uid_secret else "random",
        **report.to_dict(),
    }
    if as_json:
        print_json(result)
        return
    typer.echo(
        f"{target}: {len(report.removed)} attributes removed, {len(report.emptied)} emptied, "
        f"{len(report.dummied)} replaced by dummies, {report.uids_replaced} UIDs replaced, "
        f"{report.private_tags_removed} private tags removed; "
        f"burned-in annotation: {report.burned_in_annotation}"
    )


@app.command("measure")
@cli_errors
def measure_command(
    landmarks: Path = typer.Argument(..., metavar="LANDMARKS.json"),
    as_json: bool = typer.Option(False, "--json", help="Print the measurements as JSON."),
) -> None:
    """Spinopelvic parameters (lateral view) or a Cobb angle (frontal view) from landmarks."""
    result = measure(load_json_file(landmarks)).to_dict()
    if as_json:
        print_json(result)
        return
    for name, value in result.items():
        typer.echo(f"{name}: {value:.1f}")


@app.command("classifier-inputs")
@cli_errors
def classifier_inputs_command(
    landmarks: Path = typer.Argument(..., metavar="LANDMARKS.json"),
    spondylolisthesis: float | None = typer.Option(
        None, "--spondylolisthesis", help="Degree of spondylolisthesis measured elsewhere."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Fill the spine classifier's input columns from a lateral landmark file."""
    measured = measure(load_json_file(landmarks))
    if not isinstance(measured, LateralMeasurements):
        raise InvalidInput("view", "the spine classifier needs a lateral view")
    inputs = spine_classifier_inputs(measured, degree_spondylolisthesis=spondylolisthesis)
    if as_json:
        print_json(inputs.to_dict())
        return
    for name, value in inputs.values.items():
        typer.echo(f"{name}: {'not measured' if value is None else f'{value:.2f}'}")


@app.command("phantom")
@cli_errors
def phantom_command(
    target: Path = typer.Argument(..., metavar="OUT.dcm"),
    landmarks_out: Path = typer.Argument(..., metavar="LANDMARKS.json"),
    pelvic_incidence: float = typer.Option(52.0, "--pi", help="Pelvic incidence, degrees."),
    pelvic_tilt: float = typer.Option(13.0, "--pt", help="Pelvic tilt, degrees."),
    lordosis: float = typer.Option(50.0, "--ll", help="L1–S1 lumbar lordosis, degrees."),
    anterior: str = typer.Option("right", "--anterior", help="Side the phantom faces."),
    seed: int = typer.Option(0, "--seed", help="Seed of the image noise."),
    as_json: bool = typer.Option(False, "--json", help="Print the truth as JSON."),
) -> None:
    """Write a SYNTHETIC lateral radiograph with known angles and its truth landmarks."""
    if anterior not in ("left", "right"):
        raise InvalidInput("--anterior", "must be 'left' or 'right'")
    spec = PhantomSpec(
        pelvic_incidence_deg=pelvic_incidence,
        pelvic_tilt_deg=pelvic_tilt,
        lumbar_lordosis_deg=lordosis,
        anterior="left" if anterior == "left" else "right",
        seed=seed,
    )
    phantom = build_phantom(spec)
    image_bytes = dataset_to_bytes(phantom.dataset)
    write_atomic(target, image_bytes)
    write_atomic(landmarks_out, json.dumps(phantom.landmarks, indent=2) + "\n")
    truth = phantom.landmarks["phantom"]["truth"]
    if as_json:
        print_json({"dicom": str(target), "landmarks": str(landmarks_out), "truth": truth})
        return
    typer.echo(f"wrote {target} and {landmarks_out} (synthetic phantom)")
    for name, value in truth.items():
        typer.echo(f"{name}: {value:.2f}")


@app.command("scp")
@cli_errors
def scp_command(
    port: int = typer.Option(11112, "--port", min=1, max=65535, help="TCP port to listen on."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    ae_title: str = typer.Option("SPINEWISE", "--ae-title", help="This receiver's AE title."),
) -> None:
    """Receive studies from a modality or PACS (DICOM C-STORE SCP) until interrupted.

    Objects are de-identified and filed for the patient whose hospital Patient ID a clinician
    linked on the imaging page; objects with an unknown Patient ID are refused and not kept.
    """
    from spinewise.config import Settings
    from spinewise.db import make_engine, make_session_factory, upgrade_schema
    from spinewise.imaging.receiver import DicomReceiver

    if not 1 <= len(ae_title.strip()) <= 16:
        raise InvalidInput("--ae-title", "must be 1 to 16 characters")
    settings = Settings()
    engine = make_engine(settings.database_url)
    upgrade_schema(engine)
    receiver = DicomReceiver(
        make_session_factory(engine),
        data_dir=settings.data_dir,
        secret_key=settings.secret_key,
        ae_title=ae_title.strip(),
    )
    typer.echo(f"DICOM receiver {ae_title} listening on {host}:{port} (Ctrl-C to stop)")
    try:
        receiver.serve_forever(host, port)
    except KeyboardInterrupt:
        pass
    finally:
        engine.dispose()
